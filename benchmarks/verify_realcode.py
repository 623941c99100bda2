"""How conclusive `kcheck --verify` is on real code: tutorial scripts and real Keras packages.

usage: python benchmarks/verify_realcode.py [--deps-venv DIR [--make-deps-venv]]
                                            [--scratch DIR] [--jobs N] [--write FILE]

The real-code set is benchmarks/realcode/ (scripts written the way tutorials and research
repositories write Keras code: plotting and data imports, tf.keras spellings, several-input
layers, layers that need 3-D or 4-D inputs, schedules from script constants, a small package)
plus library modules of Keras packages from PyPI, installed with pip (no dependencies) into
`--scratch` (default .kcheck_realcode/ in the repository) at the pinned versions below.

Every finding kcheck reports there is verified, and the verdicts are counted: confirmed / not
reproduced / inconclusive, with the reasons for inconclusive ones. Environments:

- "only kcheck[verify]": the interpreter running this script (it needs kcheck[verify]);
- "with deps": `--deps-venv DIR`, a virtualenv that also has TensorFlow and the scripts'
  dependencies; `--make-deps-venv` creates it first (a heavy install: about 2 GB).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REALCODE = ROOT / "benchmarks" / "realcode"
PACKAGES = ("keras-tcn==3.5.7", "keras-self-attention==0.51.0", "keras-unet-collection==0.1.13",
            "keras-hub==0.32.0")
# Folders of the installed packages that are checked (keras-hub is large: one model family and
# its shared layers stand for it).
PACKAGE_PATHS = ("tcn", "keras_self_attention", "keras_unet_collection", "keras_hub/src/layers",
                 "keras_hub/src/models/vit")
DEPS = ("tensorflow-cpu==2.21.0", "matplotlib", "pandas", "tqdm", "pillow",
        "opencv-python-headless", "tensorflow-datasets", "tensorflow-addons", "scikit-learn")


def install_packages(scratch: Path) -> Path:
    """pip-install the pinned packages (no dependencies) into scratch/packages, once."""
    target = scratch / "packages"
    wanted = [spec for spec in PACKAGES if not any(
        target.glob(spec.split("==")[0].replace("-", "_") + "-" + spec.split("==")[1]
                    + ".dist-info"))]
    if wanted:
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                        str(target), *wanted], check=True)
    return target


def make_deps_venv(path: Path) -> None:
    """A virtualenv with kcheck[verify] from this checkout, TensorFlow and the scripts' deps."""
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    python = str(path / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", "-e", f"{ROOT}[verify]", *DEPS],
                   check=True)


def verify(python: str, paths: list[str], jobs: int, timeout: float) -> tuple[list, float]:
    """Run `kcheck --verify` with `python` over `paths`; the findings as JSON, and seconds."""
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    started = time.monotonic()
    result = subprocess.run(
        [python, "-m", "kcheck", "--verify", "--no-cache", "--format", "json", "--exit-zero",
         "--jobs", str(jobs), "--verify-timeout", str(timeout), *paths],
        capture_output=True, text=True, cwd=ROOT, env=env, check=False)
    elapsed = time.monotonic() - started
    try:
        return json.loads(result.stdout), elapsed
    except ValueError:
        sys.exit(f"kcheck failed ({python}):\n{result.stderr[-2000:]}")


def reason(detail: str) -> str:
    """A short category for an inconclusive verdict's detail."""
    detail = detail.split("): ", 1)[1] if detail.startswith("with KS") else detail
    if detail.startswith("needs "):
        return "needs " + detail.split()[1].rstrip(",")
    if detail.startswith("blocked by KS"):
        return "blocked by another finding (" + detail.split()[2].rstrip(":") + ")"
    for fragment, label in (
            ("no value could be guessed", "no constructor value could be guessed"),
            ("could not construct", "the constructor failed on the guessed values"),
            ("could not find an input", "no input the layer accepts"),
            ("timed out", "time-out"),
            ("import failed", "the module failed to import"),
            ("failed for another reason first", "failed first for a reason no finding names"),
            ("this finding is about another kind of call", "not a class (not verifiable)"),
            ("config only", "never called: build and weights not exercised"),
            ("is not defined at the top level", "the class was not defined after import")):
        if fragment in detail:
            return label
    return "not observable by a round trip of a fresh instance"


def summarize(findings: list) -> dict:
    counts = Counter(f["verification"]["status"] for f in findings)
    reasons = Counter(reason(f["verification"]["detail"]) for f in findings
                      if f["verification"]["status"] == "inconclusive")
    total = len(findings)
    conclusive = counts["confirmed"] + counts["not-reproduced"]
    return {"findings": total, "confirmed": counts["confirmed"],
            "not_reproduced": counts["not-reproduced"], "inconclusive": counts["inconclusive"],
            "conclusive_percent": round(100.0 * conclusive / total, 1) if total else 0.0,
            "reasons": dict(reasons.most_common())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scratch", type=Path, default=ROOT / ".kcheck_realcode",
                        help="folder for the installed packages (default: .kcheck_realcode/)")
    parser.add_argument("--deps-venv", type=Path,
                        help="virtualenv with TensorFlow and the scripts' dependencies")
    parser.add_argument("--make-deps-venv", action="store_true",
                        help="create --deps-venv first (heavy)")
    parser.add_argument("--no-packages", action="store_true",
                        help="only the scripts of benchmarks/realcode/")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds per class (TensorFlow children start slowly)")
    parser.add_argument("--write", type=Path, help="also write the results as JSON here")
    args = parser.parse_args()

    sets = {"scripts": [str(REALCODE)]}
    if not args.no_packages:
        target = install_packages(args.scratch)
        sets["packages"] = [str(target / p) for p in PACKAGE_PATHS if (target / p).exists()]
    environments = {"only kcheck[verify]": sys.executable}
    if args.deps_venv is not None:
        if args.make_deps_venv and not (args.deps_venv / "bin" / "python").exists():
            make_deps_venv(args.deps_venv)
        python = args.deps_venv / "bin" / "python"
        if python.exists():
            environments["with TensorFlow and the scripts' deps"] = str(python)
        else:
            print(f"no interpreter at {python}: skipping that environment", file=sys.stderr)

    report = {}
    for label, python in environments.items():
        report[label] = {"sets": {}}
        everything = []
        for name, paths in sets.items():
            findings, seconds = verify(python, paths, args.jobs, args.timeout)
            everything += findings
            report[label]["sets"][name] = {**summarize(findings), "seconds": round(seconds)}
            report[label]["sets"][name]["verdicts"] = [
                {"path": os.path.relpath(f["path"], ROOT) if name == "scripts" else
                 os.path.relpath(f["path"], args.scratch / "packages"),
                 "code": f["code"], "class": f.get("class"), **f["verification"]}
                for f in findings]
        report[label]["total"] = summarize(everything)

    print("| environment | set | findings | confirmed | not reproduced | inconclusive | "
          "conclusive |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, data in report.items():
        rows = [*data["sets"].items(), ("all", data["total"])]
        for name, row in rows:
            print(f"| {label} | {name} | {row['findings']} | {row['confirmed']} | "
                  f"{row['not_reproduced']} | {row['inconclusive']} | "
                  f"{row['conclusive_percent']} % |")
    for label, data in report.items():
        print(f"\nInconclusive, {label}:")
        for why, count in data["total"]["reasons"].items():
            print(f"  {count:3d}  {why}")
    if args.write:
        args.write.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
