"""verify_targets on real Keras, real child processes: each fixture class gets the verdict its
mistake deserves. All targets run in one call (two workers), as the CLI would run them."""
import os
import subprocess
import sys
import tempfile

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
pytest.importorskip("keras")

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
if SRC not in sys.path:
    sys.path.insert(0, SRC)

from kcheck.verify import Verdict, VerifyTarget, verify_targets  # noqa: E402

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify_cases")


def case(filename, name, kind="layer", **extra):
    return VerifyTarget(os.path.join(CASES, filename), name, kind, **extra)


TARGETS = {
    "good": case("good_layer.py", "Scale"),
    "omits": case("omits_arg.py", "Affine"),
    "unregistered": case("unregistered.py", "Loose"),
    "layer_arg": case("layer_arg.py", "Hold"),
    "layer_arg_example": case("layer_arg.py", "Hold", examples=("Hold(keras.layers.Dense(4))",),
                              example_sources=("call site corpus/x.py:12",)),
    "no_super": case("no_super_config.py", "Bare"),
    "good_loss": case("losses.py", "WeightedMSE", "loss"),
    "lossy_loss": case("losses.py", "LossyMSE", "loss"),
    "unregistered_loss": case("losses.py", "UnregisteredLoss", "loss"),
    "script": case("training_script.py", "Triple"),
    "package": case("pkg/blocks.py", "Offset"),
    "package_import": case("pkg/blocks.py", "Offset", import_mode="import"),
    "picky": case("picky.py", "Picky"),
    "build_arg": case("build_arg.py", "Init"),
    "declared": case("omits_arg.py", "Affine", examples=("Affine(3.0, 7.0)",),
                     example_sources=("declared in [tool.kcheck.examples]",)),
    "metric": case("other_kinds.py", "MeanShift", "metric"),
    "initializer": case("other_kinds.py", "ConstantPlus", "initializer"),
    "regularizer": case("other_kinds.py", "ScaledL1", "regularizer"),
    "constraint": case("other_kinds.py", "ClipTo", "constraint"),
    "schedule": case("other_kinds.py", "Halving", "schedule"),
    "model": case("other_kinds.py", "TinyModel", "model"),
    "missing_file": case("no_such_file.py", "Nothing"),
    "missing_class": case("good_layer.py", "NotThere"),
}


@pytest.fixture(scope="module")
def verdicts():
    seen = []
    results = verify_targets(list(TARGETS.values()), timeout=90, jobs=2,
                             progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (len(TARGETS), len(TARGETS))
    assert all(isinstance(v, Verdict) for v in results)
    return dict(zip(TARGETS, results))


def test_correct_layer_is_not_reproduced(verdicts):
    v = verdicts["good"]
    assert v.status == "not-reproduced", v
    # synthesis passed non-default values, base arguments included
    assert v.method.startswith("synthesised: Scale(factor=4.5, units=5, name='kcheck_probe'")


def test_omitted_config_key_is_a_silent_diff(verdicts):
    v = verdicts["omits"]
    assert (v.status, v.stage) == ("confirmed", "compare"), v
    assert "config key 'shift': 0.5 -> 0.0" in v.detail
    assert "outputs differ (max abs diff 0.5)" in v.detail


def test_unregistered_class_fails_to_load(verdicts):
    v = verdicts["unregistered"]
    assert (v.status, v.stage) == ("confirmed", "load"), v
    assert v.detail.startswith("TypeError: Could not locate class 'Loose'")


def test_layer_argument_without_get_config_fails_at_save(verdicts):
    v = verdicts["layer_arg"]
    assert (v.status, v.stage) == ("confirmed", "save"), v
    assert v.detail.startswith("NotImplementedError: Object Hold was created by passing")


def test_call_site_example_is_used_first(verdicts):
    v = verdicts["layer_arg_example"]
    assert (v.status, v.stage) == ("confirmed", "save"), v
    assert v.method.startswith("call site corpus/x.py:12: Hold(keras.layers.Dense(4), "
                               "name='kcheck_probe'")


def test_config_without_super_loses_base_attributes(verdicts):
    v = verdicts["no_super"]
    assert v.status == "confirmed", v
    assert "trainable: False -> True" in v.detail
    assert "dtype policy: 'float64' -> 'float32'" in v.detail
    assert "name: 'kcheck_probe' -> 'bare'" in v.detail


def test_loss_round_trips_both_ways(verdicts):
    assert verdicts["good_loss"].status == "not-reproduced", verdicts["good_loss"]
    lossy = verdicts["lossy_loss"]
    assert lossy.status == "confirmed" and "config key 'weight': 2.5 -> 1.0" in lossy.detail
    unregistered = verdicts["unregistered_loss"]
    assert (unregistered.status, unregistered.stage) == ("confirmed", "load")
    assert "Could not locate class 'UnregisteredLoss'" in unregistered.detail


def test_other_kinds_round_trip(verdicts):
    for key in ("metric", "initializer", "constraint", "schedule", "model"):
        assert verdicts[key].status == "not-reproduced", (key, verdicts[key])
    assert verdicts["model"].method.startswith("synthesised: TinyModel(units=4, name=")
    # Regularizer has no automatic config: without get_config() it cannot be saved
    v = verdicts["regularizer"]
    assert (v.status, v.stage) == ("confirmed", "save"), v
    assert v.detail.startswith("NotImplementedError:") and "get_config" in v.detail


def test_script_with_training_loop_is_stripped(verdicts):
    # the script loads a missing file, calls fit() and loops forever at top level
    assert verdicts["script"].status == "not-reproduced", verdicts["script"]


def test_package_module_with_relative_import(verdicts):
    assert verdicts["package"].status == "not-reproduced", verdicts["package"]
    assert verdicts["package_import"].status == "not-reproduced", verdicts["package_import"]


def test_layer_rejecting_every_input_gets_a_config_only_round_trip(verdicts):
    # No input is accepted: a fresh, never-called instance is saved in an unbuilt model and
    # compared on config and attributes; method says so, and why.
    v = verdicts["picky"]
    assert v.status == "not-reproduced", v
    assert v.detail == "config and attributes (never called) preserved"
    assert "; config only: the layer was never called" in v.method
    assert "Picky only accepts tensors of rank 7" in v.method


def test_build_contract_error_confirms_at_call(verdicts):
    v = verdicts["build_arg"]
    assert (v.status, v.stage) == ("confirmed", "call"), v
    assert "For a `build()` method with more than one argument" in v.detail


def test_declared_example_values_show_in_the_diff(verdicts):
    v = verdicts["declared"]
    assert v.method.startswith("declared example: Affine(3.0, 7.0, name='kcheck_probe'")
    assert "config key 'shift': 7.0 -> 0.0" in v.detail


def test_missing_file_or_class_is_inconclusive(verdicts):
    assert verdicts["missing_file"].status == "inconclusive"
    assert "does not exist" in verdicts["missing_file"].detail
    assert verdicts["missing_class"].status == "inconclusive"
    assert "NotThere is not defined" in verdicts["missing_class"].detail


def test_parent_never_imports_keras_and_spawn_mode_works():
    """In a clean interpreter: verify one class in spawn mode (no warm worker) and check that
    the parent process did not import keras or the user's module."""
    target = os.path.join(CASES, "omits_arg.py")
    code = (
        f"import sys; sys.path.insert(0, {SRC!r})\n"
        "from kcheck.verify import verify_targets, VerifyTarget\n"
        f"[v] = verify_targets([VerifyTarget({target!r}, 'Affine', 'layer')], timeout=90)\n"
        "assert v.status == 'confirmed', v\n"
        "assert 'keras' not in sys.modules and 'omits_arg' not in sys.modules\n"
        "print('ok')\n"
    )
    env = dict(os.environ, KCHECK_VERIFY_SPAWN="1")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, cwd=tempfile.gettempdir(), timeout=180)
    assert proc.stdout.strip() == "ok", proc.stderr[-2000:]
