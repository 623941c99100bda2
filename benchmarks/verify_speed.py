"""Seconds per verified class on the verifier's test cases.

usage: python benchmarks/verify_speed.py [--jobs N] [--repeat K]

Verifies every well-behaved class in tests/verify_cases/ (K times over, to see the steady state
once the warm workers have paid for importing Keras) and prints the wall-clock seconds per class.
"""
import argparse
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "src"))

from kcheck.verify import VerifyTarget, verify_targets  # noqa: E402

CASES = os.path.join(ROOT, "tests", "verify_cases")
TARGETS = [
    ("good_layer.py", "Scale", "layer"), ("omits_arg.py", "Affine", "layer"),
    ("unregistered.py", "Loose", "layer"), ("layer_arg.py", "Hold", "layer"),
    ("no_super_config.py", "Bare", "layer"), ("losses.py", "WeightedMSE", "loss"),
    ("losses.py", "LossyMSE", "loss"), ("losses.py", "UnregisteredLoss", "loss"),
    ("training_script.py", "Triple", "layer"), ("pkg/blocks.py", "Offset", "layer"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None, help="parallel workers (default: CPUs)")
    parser.add_argument("--repeat", type=int, default=2, help="verify the cases this many times")
    args = parser.parse_args()
    targets = [VerifyTarget(os.path.join(CASES, f), c, k) for f, c, k in TARGETS] * args.repeat
    started = time.monotonic()
    verdicts = verify_targets(targets, jobs=args.jobs)
    elapsed = time.monotonic() - started
    counts = {}
    for verdict in verdicts:
        counts[verdict.status] = counts.get(verdict.status, 0) + 1
    print(f"{len(targets)} classes in {elapsed:.1f}s with {args.jobs or os.cpu_count()} jobs: "
          f"{elapsed / len(targets):.2f} s/class (worker start-up included); verdicts {counts}")


if __name__ == "__main__":
    main()
