"""Unit tests of the verifier's pure-Python parts: stripping, module naming, argument guesses."""
import importlib.util
import inspect
import os
import sys

import pytest

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
if SRC not in sys.path:
    sys.path.insert(0, SRC)

from kcheck.verify import VerifierUnavailable, VerifyTarget, verify_targets  # noqa: E402
from kcheck.verify.construction import guess_value, perturb_default, plan_synthesis  # noqa: E402
from kcheck.verify.stripping import module_location, stripped_source  # noqa: E402

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify_cases")

SCRIPT = '''
"""Doc."""
import keras
try:
    import tensorflow as tf
except ImportError:
    tf = None
    print("no tf")
N = 3
M = N * 2
INIT = keras.initializers.HeNormal(seed=1)
DATA = keras.datasets.mnist.load_data()
X = np.load("x.npy")
@keras.saving.register_keras_serializable()
class A(keras.layers.Layer):
    pass
keras.saving.get_custom_objects().update({"A": A})
keras.saving.get_custom_objects()["A2"] = A
B = keras.saving.register_keras_serializable()(A)
model = keras.Sequential([A()])
model.fit(1, 2)
for i in range(3):
    print(i)
while True:
    pass
if __name__ == "__main__":
    main()
'''


def test_strip_keeps_definitions_and_registrations():
    out = stripped_source(SCRIPT)
    for kept in ('"""Doc."""', "import keras", "import tensorflow as tf", "tf = None", "N = 3",
                 "M = N * 2", "keras.initializers.HeNormal(seed=1)", "class A",
                 "get_custom_objects().update", "get_custom_objects()['A2'] = A",
                 "B = keras.saving.register_keras_serializable()(A)"):
        assert kept in out, kept


def test_strip_drops_script_code():
    out = stripped_source(SCRIPT)
    for dropped in ("load_data", "np.load", "model.fit", "Sequential", "while True", "for i",
                    "__main__", "print"):
        assert dropped not in out, dropped


def test_stripped_module_compiles_with_original_line_numbers():
    from kcheck.verify.stripping import strip_definitions

    tree = strip_definitions(SCRIPT)
    compile(tree, "script.py", "exec")
    class_def = next(n for n in tree.body if getattr(n, "name", "") == "A")
    assert SCRIPT.splitlines()[class_def.lineno - 1].startswith("class A")


def test_module_location_for_scripts_and_packages():
    assert module_location(os.path.join(CASES, "omits_arg.py")) == (CASES, "omits_arg")
    assert module_location(os.path.join(CASES, "pkg", "blocks.py")) == (CASES, "pkg.blocks")
    # a script named like a standard-library module must not shadow it
    assert module_location("/somewhere/json.py") == ("/somewhere", "kcheck_user_json")


def test_guesses_from_names_and_hints():
    assert guess_value("units") == "3"
    assert guess_value("n_heads") == "3"
    assert guess_value("dropout_rate") == "0.25"
    assert guess_value("activation") == "'relu'"
    assert guess_value("inner") == "keras.layers.Dense(3)"
    assert guess_value("thing", hint="callable") == "keras.activations.relu"
    assert guess_value("thing", called=True) == "keras.layers.Dense(3)"
    assert guess_value("frobnicator") is None


def test_defaults_are_perturbed_safely():
    assert perturb_default("units", 4) == "5"
    assert perturb_default("shift", 1.0) == "2.5"
    assert perturb_default("rate", 0.5) == "0.75"
    assert perturb_default("use_bias", True) == "False"
    assert perturb_default("axis", -1) is None
    assert perturb_default("mode", "fast") is None


def test_plan_synthesis_names_unguessable_parameters():
    class Gate:
        def __init__(self, inner, units, frob, scale=1.0, **kwargs):
            self.inner = inner

        def call(self, x):
            return self.inner(x)

    plan = plan_synthesis(Gate, {})
    assert plan.required == {"inner": "keras.layers.Dense(3)", "units": "3"}
    assert plan.perturbed == {"scale": "2.5"}
    assert plan.unguessable == ("frob",)
    assert inspect.isclass(Gate)


def test_targets_are_hashable_despite_hints():
    target = VerifyTarget("/x.py", "Gate", "layer", param_hints={"inner": "layer"})
    assert hash(target) == hash(VerifyTarget("/x.py", "Gate", "layer"))


def test_missing_keras_raises_verifier_unavailable(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "keras" else real(name, *a))
    with pytest.raises(VerifierUnavailable, match=r"pip install 'kcheck\[verify\]'"):
        verify_targets([VerifyTarget(os.path.join(CASES, "good_layer.py"), "Scale", "layer")])


# Issue 12, item 7: strip mode must not run calls that are not known to be pure.
HARMFUL = '''
import os
import shutil
import numpy as np
import numpy
import shutil as some
some.module = shutil
P = {victim!r}
D = {folder!r}
_r = [os.remove(P), 1]
print(os.remove(P), 2)
_k = some.module.rmtree(D)
_l = np.ndarray.tofile(np.zeros(3), P)
_m = numpy.save(P, np.zeros(3))
_s = sorted([3, 1], key=print)
_f = f"{{P!r}}"
keras_like = np
_t = keras_like.ndarray.tofile(np.zeros(3), P)
'''


def test_strip_never_keeps_calls_that_run_code(tmp_path):
    from kcheck.verify.definitions import load_definitions

    victim, folder = tmp_path / "victim.txt", tmp_path / "victim_dir"
    victim.write_text("keep me")
    folder.mkdir()
    script = tmp_path / "harmful_script.py"
    script.write_text(HARMFUL.format(victim=str(victim), folder=str(folder)))
    out = stripped_source(script.read_text())
    for dropped in ("os.remove", "rmtree", "tofile", "numpy.save", "sorted", "print", "f'"):
        assert dropped not in out, dropped
    module = load_definitions(str(script))
    try:
        assert victim.read_text() == "keep me"
        assert folder.is_dir()
        assert module.P == str(victim)
    finally:
        sys.modules.pop(module.__name__, None)


def test_known_pure_calls_are_kept_through_the_files_own_imports():
    source = (
        "import math\nimport numpy as np\nimport shutil as keras\nfrom tensorflow import keras"
        " as tfk\nfrom keras import layers as L\nimport os\n"
        "A = math.sqrt(2)\nB = np.zeros(3)\nC = tfk.optimizers.schedules.ExponentialDecay(0.1,"
        " 10, 0.9)\nD = L.Dense(3)\nE = keras.rmtree('x')\nF = os.path.join('a', 'b')\n"
        "G = tfk.utils.get_file('x')\nH = L.deserialize({})\nI = max(1, 2)\n")
    out = stripped_source(source)
    for kept in ("A = ", "B = ", "C = ", "D = ", "F = ", "I = "):
        assert kept in out, kept
    for dropped in ("E = ", "G = ", "H = "):
        assert dropped not in out, dropped


def test_registration_statements_must_have_the_registration_shape():
    source = ("import os\nimport keras\nclass A(keras.layers.Layer):\n    pass\n"
              "keras.saving.get_custom_objects().update({'A': A})\n"
              "print(os.remove('x'), keras.saving.get_custom_objects())\n"
              "keras.saving.get_custom_objects()['B'] = os.remove('x')\n"
              "keras.saving.register_keras_serializable(os.remove('x'))(A)\n")
    out = stripped_source(source)
    assert "update({'A': A})" in out
    assert "os.remove" not in out


def test_docs_list_every_known_pure_call():
    from kcheck.verify.stripping import PURE_CALLS

    docs = open(os.path.join(os.path.dirname(CASES), "..", "docs", "verify.md"),
                encoding="utf-8").read()
    for line in PURE_CALLS:
        assert f"- {line}\n" in docs, line


def test_size_like_guesses_fall_back_to_pairs():
    from kcheck.verify.construction import synthesis_candidates

    class Patches:
        def __init__(self, patch_size, image_shape, upsample_rate, units):
            pass

    assert guess_value("image_shape") == "(8, 8, 3)"
    assert guess_value("upsample_rate") == "2"
    expressions = [c.expression for c in synthesis_candidates(
        Patches, {"class_name": "Patches", "kind": "layer"})]
    assert expressions[0] == "Patches(patch_size=2, image_shape=(8, 8, 3), upsample_rate=2, " \
        "units=3)"
    assert "Patches(patch_size=(2, 2), image_shape=(8, 8, 3), upsample_rate=2, units=3)" in \
        expressions
