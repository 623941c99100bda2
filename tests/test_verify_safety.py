"""The verifier contains hostile user code: hangs, exits, memory hogs, stray files and prints
all end as verdicts, and nothing is left behind in the caller's directory or the temp dir."""
import os
import sys
import tempfile

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
pytest.importorskip("keras")

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
if SRC not in sys.path:
    sys.path.insert(0, SRC)

from kcheck.verify import VerifyTarget, verify_targets  # noqa: E402

HOSTILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify_cases", "hostile.py")
NAMES = ("Hangs", "Exits", "HardExits", "Hogs", "Scribbles", "Mystery")
TIMEOUT = 12


@pytest.fixture(scope="module")
def outcome(tmp_path_factory):
    cwd = os.getcwd()
    cwd_before = sorted(os.listdir(cwd))
    cases_before = sorted(os.listdir(os.path.dirname(HOSTILE)))
    # A private temp root: other verifier runs may share the system temp dir meanwhile.
    private_tmp = str(tmp_path_factory.mktemp("verify-tmp"))
    saved_tempdir, tempfile.tempdir = tempfile.tempdir, private_tmp
    try:
        targets = [VerifyTarget(HOSTILE, name, "layer") for name in NAMES]
        # 1 GB is enough for keras+jax (about 400 MB of data segment) and quick to exhaust
        verdicts = verify_targets(targets, timeout=TIMEOUT, jobs=2, memory_mb=1024)
    finally:
        tempfile.tempdir = saved_tempdir
    return {
        "verdicts": dict(zip(NAMES, verdicts)),
        "cwd_same": os.getcwd() == cwd and sorted(os.listdir(cwd)) == cwd_before,
        "temp_left": set(os.listdir(private_tmp)),
        "cases_same": sorted(os.listdir(os.path.dirname(HOSTILE))) == cases_before,
    }


def test_hang_times_out(outcome):
    v = outcome["verdicts"]["Hangs"]
    assert (v.status, v.stage) == ("inconclusive", "construct"), v
    assert v.detail == f"timed out after {TIMEOUT}s during construct"
    assert v.method.startswith("synthesised: Hangs(")


def test_sys_exit_is_contained(outcome):
    v = outcome["verdicts"]["Exits"]
    assert (v.status, v.stage) == ("inconclusive", "construct"), v
    assert v.detail == "user code called sys.exit(3) during construct"


def test_os_exit_is_contained(outcome):
    v = outcome["verdicts"]["HardExits"]
    assert (v.status, v.stage) == ("inconclusive", "construct"), v
    assert v.detail.startswith("child process exited with code 4 during construct")


def test_unbounded_allocation_hits_the_memory_cap(outcome):
    v = outcome["verdicts"]["Hogs"]
    assert (v.status, v.stage) == ("inconclusive", "construct"), v
    assert v.detail == "memory limit of 1024 MB exceeded during construct"


def test_stray_files_and_prints_do_not_matter(outcome):
    # Scribbles writes files into its cwd and prints a fake result on stdout
    assert outcome["verdicts"]["Scribbles"].status == "not-reproduced", outcome["verdicts"]
    assert outcome["cwd_same"]
    assert outcome["cases_same"]
    assert not os.path.exists("scribble.txt")


def test_no_temporary_files_left_behind(outcome):
    assert outcome["temp_left"] == set()


def test_unconstructible_class_names_the_parameter(outcome):
    v = outcome["verdicts"]["Mystery"]
    assert (v.status, v.stage) == ("inconclusive", "construct"), v
    assert "required parameter 'frobnicator'" in v.detail
