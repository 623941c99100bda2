"""A real-world sweep: kcheck and its verifier over the library code of published Keras packages.

usage: nice -n 10 python benchmarks/realworld.py [--scratch DIR] [--only keras-hub,keras-rs]
           [--no-verify] [--jobs N] [--timeout S] [--write-docs] [--details FILE]

Installs pinned releases of real Keras libraries from PyPI into ``DIR/site-packages`` (with
``pip install --no-deps --target``, plus the light packages they import; TensorFlow is never
installed, so classes that import it are verified as inconclusive), runs ``kcheck`` over each
library's own code (test modules excluded), then ``kcheck --verify`` over the findings, and prints
per rule: findings, confirmed, not reproduced, inconclusive (with the reasons grouped).

With ``--write-docs`` the summary table in docs/rules/precision.md (between the
``realworld-sweep`` markers) is regenerated. ``--details`` writes every finding with its verdict
as JSON, to study the *not reproduced* ones. It checks with this clone's kcheck (``src/`` is put
on ``PYTHONPATH``), so it runs from a clean clone: kcheck's own dependencies (libcst, and keras 3
and jax for the verifier) are taken from the running interpreter, or installed into
``DIR/tools`` when it lacks them. It is not part of the test suite: it takes tens of minutes and
needs the package index.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "rules" / "precision.md"
BEGIN, END = "<!-- realworld-sweep:begin -->", "<!-- realworld-sweep:end -->"
TEST_MODULES = "*_test.py,test_*.py,tests,testing,conftest.py"


@dataclass(frozen=True)
class Library:
    """A pinned PyPI release and the import package whose code is checked."""

    requirement: str
    package: str


LIBRARIES = (
    Library("keras-hub==0.32.0", "keras_hub"),
    Library("keras-cv==0.9.0", "keras_cv"),
    Library("keras-rs==0.4.0", "keras_rs"),
    Library("keras-tuner==1.4.8", "keras_tuner"),
    Library("keras-tcn==3.5.7", "tcn"),
    Library("keras-self-attention==0.51.0", "keras_self_attention"),
    Library("keras-unet-collection==0.1.13", "keras_unet_collection"),
    Library("keras-cv-attention-models==1.4.3", "keras_cv_attention_models"),
)
# What the libraries import besides keras, jax and numpy (which the running interpreter has),
# pinned and installed without their own dependencies, so nothing replaces the interpreter's
# keras. TensorFlow (CPU) is among them: keras-cv, keras-tcn, keras-self-attention,
# keras-unet-collection and keras-cv-attention-models import it at module level.
SUPPORT = (
    "absl-py==2.5.1", "regex==2026.11.19", "packaging==26.4", "kagglehub==1.0.3",
    "kagglesdk==0.1.28", "requests==2.34.2", "urllib3==2.8.0", "certifi==2026.10.19.post1",
    "charset-normalizer==3.5.3", "idna==3.20", "six==1.17.0", "tqdm==4.70.1",
    "kt-legacy==1.0.5", "grpcio==1.85.3", "protobuf==7.36.2", "tokenizers==0.23.3",
    "sentencepiece==0.2.3",
    "tensorflow-cpu==2.21.0", "astunparse==1.6.3", "flatbuffers==25.12.19", "gast==0.7.0",
    "google-pasta==0.2.0", "termcolor==3.3.0", "wrapt==2.5.2", "dm-tree==0.1.10",
    "tensorflow-datasets==4.9.10", "etils==1.15.0", "promise==2.3", "toml==0.10.2",
    "psutil==7.2.2", "dill==0.4.1", "simple-parsing==0.1.9", "immutabledict==4.3.1",
    "googleapis-common-protos==1.76.0", "tensorflow-metadata==1.21.0", "pillow==13.0.0",
    "ftfy==6.3.1", "wcwidth==0.9.4",
)
STATUSES = ("confirmed", "not-reproduced", "inconclusive")


def install(scratch: Path, libraries: tuple[Library, ...]) -> Path:
    """Install the pinned releases into *scratch*/site-packages once; return that folder."""
    target = scratch / "site-packages"
    requirements = [library.requirement for library in libraries] + list(SUPPORT)
    stamp = target / ".kcheck-realworld"
    digest = hashlib.sha256("\n".join(sorted(requirements)).encode()).hexdigest()
    if stamp.is_file() and stamp.read_text() == digest:
        return target
    target.mkdir(parents=True, exist_ok=True)
    print(f"installing {len(requirements)} pinned packages into {target}", flush=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--upgrade", "--target", str(target), *requirements], check=True)
    stamp.write_text(digest)
    return target


# kcheck's own dependencies with the verify extra (pyproject.toml), for an interpreter that lacks
# them.
TOOLS = {"libcst": "libcst>=1.1", "keras": "keras>=3", "jax": "jax[cpu]>=0.4.20",
         "numpy": "numpy", "rich": "rich>=13"}


def tool_path(scratch: Path) -> list[Path]:
    """Folders to put on PYTHONPATH: this clone's src/, and DIR/tools when kcheck's own
    dependencies had to be installed there."""
    paths = [ROOT / "src"]
    missing = [spec for module, spec in TOOLS.items() if importlib.util.find_spec(module) is None]
    if missing:
        tools = scratch / "tools"
        print(f"installing kcheck's dependencies into {tools}: {', '.join(missing)}", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--target",
                        str(tools), *missing], check=True)
        paths.append(tools)
    return paths


def run_kcheck(tree: Path, verify: bool, jobs: int, timeout: float,
               python_path: list[Path]) -> list[dict]:
    """kcheck's JSON findings for *tree*, verified when asked."""
    command = [sys.executable, "-m", "kcheck", "--no-cache", "--isolated", "--select", "KS",
               "--format", "json", "--exit-zero", "--exclude", TEST_MODULES, str(tree)]
    if verify:
        command += ["--verify", "--verify-timeout", str(timeout), "--jobs", str(jobs)]
    search = [str(path) for path in python_path]
    if os.environ.get("PYTHONPATH"):
        search.append(os.environ["PYTHONPATH"])
    environment = {**os.environ, "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "jax"),
                   "PYTHONPATH": os.pathsep.join(search)}
    result = subprocess.run(command, capture_output=True, text=True, env=environment,
                            check=False)
    if result.returncode not in (0, 1):
        raise SystemExit(f"kcheck failed on {tree}:\n{result.stderr}")
    return [item for item in json.loads(result.stdout) if item["code"] != "KS000"]


def reason_group(detail: str) -> str:
    """An inconclusive verdict's reason without the names and numbers that differ per class."""
    text = detail.split("\n")[0]
    if text.startswith("the round trip failed for another reason first"):
        return "another mistake of the class failed the round trip first"
    if text.startswith("the verifier built the instance with"):
        return "the omitted argument was left at its default by the verifier"
    if text.startswith("the flagged call could not be evaluated"):
        return "the flagged call could not be evaluated on its own"
    if text.startswith("runtime verification builds classes"):
        return "not a class or a built-in layer call (nothing to build)"
    missing = re.search(r"No module named '([\w.]+)'", text)
    if missing:
        return f"import failed: no module {missing.group(1).split('.')[0]}"
    if text.startswith("could not find an input"):
        return "no sample input accepted"
    if text.startswith("could not construct"):
        if "no value could be guessed" in text:
            return "could not construct: no value guessed for a required parameter"
        raised = re.search(r"raised (\w+)", text)
        return f"could not construct: {raised.group(1) if raised else 'failed'}"
    text = re.sub(r"/\S+", "<path>", text)
    text = re.sub(r"'[^']*'", "'…'", text)
    text = re.sub(r"\d+(\.\d+)?", "N", text)
    return text[:100]


def tabulate(findings: list[dict]) -> dict[str, dict]:
    """Per rule: counts of findings and verdicts, and the inconclusive reasons grouped."""
    table: dict[str, dict] = defaultdict(lambda: {"findings": 0, **{s: 0 for s in STATUSES},
                                                  "reasons": Counter()})
    for item in findings:
        row = table[item["code"]]
        row["findings"] += 1
        verification = item.get("verification")
        if verification:
            row[verification["status"]] += 1
            if verification["status"] == "inconclusive":
                row["reasons"][reason_group(verification["detail"])] += 1
    return dict(sorted(table.items()))


def not_reproduced_share(row: dict) -> float | None:
    conclusive = row["confirmed"] + row["not-reproduced"]
    return row["not-reproduced"] / conclusive if conclusive else None


def render_table(table: dict[str, dict], libraries: tuple[Library, ...], verified: bool) -> str:
    lines = ["| rule | findings | confirmed | not reproduced | inconclusive | not reproduced "
             "of conclusive |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    totals = Counter()
    for code, row in table.items():
        share = not_reproduced_share(row)
        shown = f"{share:.0%}" if share is not None else "–"
        if not verified:
            shown = "not verified"
        lines.append(f"| {code} | {row['findings']} | {row['confirmed']} | "
                     f"{row['not-reproduced']} | {row['inconclusive']} | {shown} |")
        for key in ("findings", *STATUSES):
            totals[key] += row[key]
    share = not_reproduced_share(totals)
    lines.append(f"| all | {totals['findings']} | {totals['confirmed']} | "
                 f"{totals['not-reproduced']} | {totals['inconclusive']} | "
                 f"{f'{share:.0%}' if share is not None else '–'} |")
    releases = ", ".join(library.requirement for library in libraries)
    return "\n".join([f"Releases: {releases}.", "", *lines])


def print_report(table: dict[str, dict], per_library: dict[str, Counter]) -> None:
    for package, counts in per_library.items():
        print(f"{package}: {sum(counts.values())} findings "
              + ", ".join(f"{code} {n}" for code, n in sorted(counts.items())))
    print()
    print(f"{'rule':6} {'findings':>8} {'confirmed':>9} {'not-repr':>8} {'inconcl':>7}")
    for code, row in table.items():
        print(f"{code:6} {row['findings']:8d} {row['confirmed']:9d} "
              f"{row['not-reproduced']:8d} {row['inconclusive']:7d}")
        for reason, count in row["reasons"].most_common():
            print(f"{'':8}{count:4d} × {reason}")


def write_docs(table_text: str) -> None:
    text = DOC.read_text()
    block = f"{BEGIN}\n{table_text}\n{END}"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n## Real-world sweep\n\n" + block + "\n"
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scratch", type=Path,
                        default=Path(os.environ.get("KCHECK_REALWORLD_DIR",
                                                    Path.home() / ".cache" / "kcheck-realworld")),
                        help="where the libraries are installed (reused across runs)")
    parser.add_argument("--only", default="", help="comma-separated requirement names to run")
    parser.add_argument("--no-verify", action="store_true", help="static findings only")
    parser.add_argument("--jobs", type=int, default=2, help="verifier workers")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds per verified class")
    parser.add_argument("--write-docs", action="store_true",
                        help="regenerate the summary table in docs/rules/precision.md")
    parser.add_argument("--details", type=Path, help="write every finding with its verdict here")
    args = parser.parse_args()
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    libraries = tuple(library for library in LIBRARIES
                      if not wanted or library.requirement.split("==")[0] in wanted)
    if not libraries:
        raise SystemExit(f"--only matches none of {[lib.requirement for lib in LIBRARIES]}")
    scratch = args.scratch.resolve()
    python_path = tool_path(scratch)
    target = install(scratch, LIBRARIES)
    findings: list[dict] = []
    per_library: dict[str, Counter] = {}
    for library in libraries:
        started = time.monotonic()
        found = run_kcheck(target / library.package, not args.no_verify, args.jobs, args.timeout,
                           python_path)
        for item in found:
            item["library"] = library.requirement
        findings.extend(found)
        per_library[library.requirement] = Counter(item["code"] for item in found)
        print(f"{library.requirement}: {len(found)} findings in "
              f"{time.monotonic() - started:.0f}s", flush=True)
    table = tabulate(findings)
    print_report(table, per_library)
    if args.details:
        args.details.write_text(json.dumps(findings, indent=1) + "\n")
    if args.write_docs:
        write_docs(render_table(table, libraries, not args.no_verify))
    over = [code for code, row in table.items()
            if (share := not_reproduced_share(row)) is not None and share > 0.05]
    if over and not args.no_verify:
        print(f"\nrules with more than 5 % of conclusive verdicts not reproduced: {over}")


if __name__ == "__main__":
    main()
