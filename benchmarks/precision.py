"""Count kcheck's findings per rule on code that is tested for serialization.

usage: python benchmarks/precision.py [--write docs/rules/precision.json]

Runs kcheck (every rule, no cache) over the installed keras sources (keras/src) and, when
installed, keras_hub. Keras tests its own layers' save/load round trips, so every finding there
is a likely false positive to study (docs/rules/precision.md has the analysis). Findings in test
modules (``*_test.py``) are counted apart: those files hold deliberately odd classes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from kcheck.rules import ALL_RULES


def package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def count(tree: Path) -> tuple[Counter, Counter, int]:
    result = subprocess.run(
        [sys.executable, "-m", "kcheck", "--no-cache", "--select", "KS", "--format", "json",
         "--exit-zero", str(tree)], capture_output=True, text=True, check=False)
    library, tests = Counter(), Counter()
    for item in json.loads(result.stdout):
        (tests if item["path"].endswith("_test.py") else library)[item["code"]] += 1
    return library, tests, sum(1 for _ in tree.rglob("*.py"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="also write the counts to this JSON file")
    args = parser.parse_args()
    trees = {}
    keras = package_dir("keras")
    if keras is not None:
        trees["keras/src"] = keras / "src"
    hub = package_dir("keras_hub")
    if hub is not None:
        trees["keras_hub"] = hub
    report = {}
    for label, tree in trees.items():
        library, tests, files = count(tree)
        report[label] = {"files": files, "library": dict(library), "tests": dict(tests)}
        print(f"{label}: {files} files")
        for rule in ALL_RULES:
            print(f"  {rule.code}  library {library.get(rule.code, 0):4d}   "
                  f"test modules {tests.get(rule.code, 0):4d}")
    if args.write:
        args.write.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
