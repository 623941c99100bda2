"""Time kcheck against `flake8 --select F` on the same real tree and print the ratio.

usage: python benchmarks/static_speed.py [TREE] [--runs N]

TREE defaults to the installed keras package's sources (keras/src). Each command runs N times
(default 3) as a fresh process, the way a pre-commit hook runs it; the median is reported.
kcheck is timed through its own command and through flake8 (`flake8 --select KS`, which also
runs flake8's own checkers, since flake8 runs every installed plugin whatever --select says).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def default_tree() -> Path:
    spec = importlib.util.find_spec("keras")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("keras is not installed: pass a TREE or pip install keras")
    return Path(list(spec.submodule_search_locations)[0]) / "src"


# flake8 runs every installed plugin whatever --select says, so the baseline hides kcheck's own
# plugin from flake8's plugin discovery; otherwise it would time kcheck twice.
_FLAKE8_WITHOUT_KCHECK = """
import importlib.metadata as metadata, sys
real = metadata.distributions
metadata.distributions = lambda **kw: [
    d for d in real(**kw) if (d.metadata["Name"] or "").lower() != "kcheck"]
from flake8.main.cli import main
sys.exit(main())
"""


def timed(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tree", nargs="?", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tree = args.tree or default_tree()
    files = sum(1 for _ in tree.rglob("*.py"))
    print(f"tree: {tree} ({files} files), median of {args.runs} runs, 2 jobs where supported")
    python = sys.executable
    cache = tempfile.mkdtemp(prefix="kcheck-bench-cache-")
    kcheck = [python, "-m", "kcheck", "--exit-zero"]
    rows = {
        "flake8 --select F": timed([python, "-c", _FLAKE8_WITHOUT_KCHECK, "--select", "F",
                                    "-j", "2", str(tree)], args.runs),
        "kcheck (cold)": timed([*kcheck, "--no-cache", "-j", "2", str(tree)], args.runs),
        "kcheck -j 1 (cold)": timed([*kcheck, "--no-cache", "-j", "1", str(tree)], args.runs),
    }
    subprocess.run([*kcheck, "--cache-dir", cache, str(tree)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    rows["kcheck (warm cache)"] = timed([*kcheck, "--cache-dir", cache, str(tree)], args.runs)
    rows["flake8 --select KS"] = timed([python, "-m", "flake8", "--select", "KS", "-j", "2",
                                        str(tree)], args.runs)
    shutil.rmtree(cache, ignore_errors=True)
    baseline = rows["flake8 --select F"]
    for name, seconds in rows.items():
        print(f"{name:22} {seconds:7.2f} s   ratio to flake8 --select F: {seconds / baseline:5.2f}")


if __name__ == "__main__":
    main()
