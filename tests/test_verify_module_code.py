"""The verifier on script-style code: stand-ins for missing modules end to end, inputs and
constructor values from the module's own model code, and verification in context through a
model builder. Real child processes, one verify_targets call."""
import importlib.util
import os

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
pytest.importorskip("keras")

from kcheck.engine.verification import build_targets  # noqa: E402
from kcheck.engine.violation import Violation  # noqa: E402
from kcheck.verify import verify_targets  # noqa: E402
from kcheck.verify.model_code import class_usage  # noqa: E402

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify_cases")
TUTORIAL = os.path.join(CASES, "tutorial_script.py")
MODEL = os.path.join(CASES, "model_script.py")
PROBES = [(TUTORIAL, "Shift"), (TUTORIAL, "Forgetful"), (TUTORIAL, "TfOps"),
          (TUTORIAL, "Careless"), (MODEL, "TokenAndPosition"), (MODEL, "Fuse"),
          (MODEL, "Lookup")]
HAS_TF = importlib.util.find_spec("tensorflow") is not None


@pytest.fixture(scope="module")
def verdicts():
    probes = [Violation(path, 1, 1, "KS000-probe", "", name) for path, name in PROBES]
    keys, targets, unverifiable = build_targets(probes)
    assert not unverifiable
    return {name: verdict for (_, name), verdict in zip(keys, verify_targets(
        targets, timeout=90, jobs=2))}


def test_a_class_that_needs_no_missing_module_is_judged(verdicts):
    assert verdicts["Shift"].status == "not-reproduced", verdicts["Shift"]
    assert verdicts["Shift"].backend == "jax"


def test_tf_keras_spelling_without_tensorflow_is_confirmed(verdicts):
    v = verdicts["Forgetful"]
    assert (v.status, v.stage) == ("confirmed", "compare"), v
    assert "offset" in v.detail


@pytest.mark.skipif(HAS_TF, reason="TensorFlow is installed: tf.nn.relu is real here")
def test_a_tensorflow_op_in_call_leaves_a_config_only_round_trip(verdicts):
    # call() needs tensorflow: the layer is saved without being called, and the method says
    # why outputs were not compared
    v = verdicts["TfOps"]
    assert v.status == "not-reproduced", v
    assert "; config only: the layer was never called" in v.method, v
    assert "needs tensorflow, which is not installed (tensorflow.nn.relu called)" in v.method


def test_a_swallowed_stand_in_error_never_reaches_a_verdict(verdicts):
    # Careless catches the stand-in's error and would round-trip fine: it must not count.
    v = verdicts["Careless"]
    assert v.status == "inconclusive", v
    assert v.detail.startswith("needs kcheck_missing_plotting, which is not installed"), v


def test_inputs_come_from_the_modules_own_model_code(verdicts):
    v = verdicts["TokenAndPosition"]
    assert v.status == "not-reproduced", v
    assert "TokenAndPosition(MAXLEN, VOCAB, EMBED" in v.method
    assert "int32(2, 7) (as model_script.py feeds it" in v.method


def test_a_dict_input_from_the_module(verdicts):
    v = verdicts["Fuse"]
    assert v.status == "not-reproduced", v
    assert "'image': keras.Input(shape=(8, 8, 3))" in v.method, v


def test_verified_in_context_through_a_builder(verdicts):
    v = verdicts["Lookup"]
    assert (v.status, v.stage) == ("confirmed", "compare"), v
    assert v.method.startswith("in context: create_model() from model_script.py"), v
    assert "scale" in v.detail


def test_usage_reads_calls_in_functions_with_names_resolved():
    source = open(MODEL, encoding="utf-8").read()
    usage = class_usage(source, "Fuse", MODEL)
    assert usage.examples[0][0] == "Fuse(4)"
    assert usage.builders == ("build_fusion_model(image_shape=(8, 8, 3), meta_size=5)",)
    lookup = class_usage(source, "Lookup", MODEL)
    assert lookup.examples == ()  # its table comes from user code: only a builder may run it
    assert lookup.builders == ("create_model()",)


def test_usage_never_breaks_on_bad_source():
    assert class_usage("def (:", "X") == class_usage("", "X")
    deep = "x = " + "(" * 200 + "1" + ")" * 200 + "\nX(x)\n"
    class_usage(deep, "X")
