"""Check that two commits' cheap passes give the same results on trees of Python files.

usage: nice -n 10 python benchmarks/cheap_pass_identical.py BEFORE AFTER TREE [TREE ...]

BEFORE and AFTER are git commits of this repository. Each one's ``src`` is exported to a
temporary folder and run in a fresh process over every ``*.py`` file of each TREE (one Project
per tree, files in sorted order, as the flake8 plugin meets them): CPython's parse,
``scan_module``, ``reduced_source`` and the module's outline. What each gives for each file is
hashed (the reduced text byte for byte; the scan's assignments, registration names, call counts
and definitions; the outline's imports, classes, functions and definition lines), and the two
commits' hashes must agree on every file. Prints the number of files compared and each file
that differs; exits 1 when one does. A TREE outside site-packages skips the site-packages
folders inside it (the standard library holds one).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_DUMP = r'''
import ast, hashlib, json, sys, warnings
from pathlib import Path
sys.setrecursionlimit(20000)
warnings.simplefilter("ignore")
from kcheck.facts.outline import scan_module
from kcheck.facts.project import Project
from kcheck.facts.relevance import reduced_source
from kcheck.sources.python import read_source

def digest(text):
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()

found = {}
for root in sys.argv[1:]:
    project = Project()
    for path in sorted(Path(root).rglob("*.py")):
        if "site-packages" not in root and "site-packages" in path.parts:
            continue
        try:
            text = read_source(path)
            tree = ast.parse(text)
        except Exception:
            continue
        scan = scan_module(tree)
        try:
            reduced = reduced_source(text, tree, scan, path, project)
        except RecursionError:
            reduced = "too deep"
        info = project.outline_of(path, tree)
        facts = info.facts
        scanned = repr((sorted(scan.assignments.items()), sorted(scan.registration_names),
                        len(scan.subscript_units),
                        sorted(len(calls) for calls in scan.unit_calls.values()),
                        len(scan.other_calls),
                        sorted((name, len(nodes)) for name, nodes in scan.definitions.items())))
        outline = repr((sorted((name, repr(q)) for name, q in facts.imports.bindings.items()),
                        [(c.name, c.bases, list(c.methods)) for c in facts.classes.values()],
                        list(facts.functions),
                        sorted(getattr(info, "definition_lines", {}).items())))
        found[str(path)] = [repr(reduced) if not reduced else digest(reduced),
                            digest(scanned), digest(outline)]
json.dump(found, sys.stdout)
'''


def _export(commit: str, folder: Path) -> Path:
    """The ``src`` folder of *commit*, written under *folder*."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src"],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def _results(source: Path, trees: list[str]) -> dict[str, list[str]]:
    output = subprocess.run([sys.executable, "-c", _DUMP, *trees], capture_output=True,
                            text=True, check=True, env={"PYTHONPATH": str(source),
                                                        "PYTHONHASHSEED": "0"}).stdout
    return json.loads(output)


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    before, after, trees = argv[0], argv[1], argv[2:]
    with tempfile.TemporaryDirectory() as work:
        results = [_results(_export(commit, Path(work) / label), trees)
                   for label, commit in (("before", before), ("after", after))]
    old, new = results
    differing = sorted(path for path in old.keys() | new.keys() if old.get(path) != new.get(path))
    parts = ("reduced text", "scan", "outline")
    for path in differing:
        if path not in old or path not in new:
            print(f"{path}: read by one commit only")
            continue
        print(f"{path}: " + ", ".join(part for part, a, b in zip(parts, old[path], new[path])
                                      if a != b))
    empty = sum(value[0] == repr("") for value in new.values())
    print(f"{len(new)} files compared ({empty} left out whole); {len(differing)} differ; "
          f"digest {hashlib.sha1(json.dumps(new, sort_keys=True).encode()).hexdigest()[:12]}")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
