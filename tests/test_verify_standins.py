"""Stand-ins for modules a user's file imports but that are not installed (no child processes:
the loader runs in this process on fixture files)."""
import os
import sys

import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")

from kcheck.verify import standins  # noqa: E402
from kcheck.verify.definitions import SKIPPED_ATTRIBUTE, load_definitions  # noqa: E402

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify_cases")


@pytest.fixture()
def tutorial():
    module = load_definitions(os.path.join(CASES, "tutorial_script.py"))
    standins.reset()
    yield module
    sys.modules.pop(module.__name__, None)
    standins.reset()


def test_missing_modules_become_stand_ins_and_definitions_load(tutorial):
    assert isinstance(tutorial.plt, standins.StandIn)
    assert isinstance(tutorial.tqdm, standins.StandIn)
    assert tutorial.Shift(2.0)(keras.ops.ones((1, 2))).shape == (1, 2)
    assert not standins.TOUCHED


def test_tensorflow_keras_spellings_are_the_real_keras(tutorial):
    # as in TensorFlow >= 2.16: tf.keras is keras's own `keras._tf_keras.keras` namespace
    assert tutorial.keras.__name__ in ("keras._tf_keras.keras", "keras")
    assert not hasattr(tutorial.keras, "saving") or tutorial.keras is keras
    assert issubclass(tutorial.Forgetful, keras.layers.Layer)
    assert tutorial.layers.Dense is keras.layers.Dense


def test_a_failing_constant_is_skipped_with_its_error(tutorial):
    skipped = getattr(tutorial, SKIPPED_ATTRIBUTE)
    assert [(names, error.split(":")[0]) for _, names, error in skipped] == \
        [(["BROKEN"], "ValueError")]
    assert "decay_steps" in skipped[0][2]
    assert not hasattr(tutorial, "BROKEN")
    assert float(tutorial.SCHEDULE(0)) == pytest.approx(0.1)


def test_using_a_stand_in_raises_and_is_recorded(tutorial):
    with pytest.raises(standins.NeedsModule, match="needs kcheck_missing_plotting"):
        tutorial.plt.figure()
    assert standins.touched_message().startswith(
        "needs kcheck_missing_plotting, which is not installed (kcheck_missing_plotting.pyplot"
        ".figure called)")


def _subclass(base):
    class Sub(base):
        pass
    return Sub


@pytest.mark.parametrize("use", [bool, len, iter, str, float, int, lambda s: s + 1,
                                 lambda s: s == 1, lambda s: isinstance(1, s), lambda s: s[0],
                                 _subclass])
def test_every_value_use_is_caught(use):
    standins.reset()
    stand_in = standins.StandIn("somemodule", "somemodule.thing")
    with pytest.raises((standins.NeedsModule, TypeError)):
        use(stand_in)
    assert standins.TOUCHED and standins.TOUCHED[0][0] == "somemodule"
    standins.reset()


def test_attribute_access_and_repr_are_not_uses():
    standins.reset()
    stand_in = standins.StandIn("somemodule", "somemodule")
    assert "somemodule.a.b" in repr(stand_in.a.b)
    assert {stand_in: 1}[stand_in] == 1
    assert not standins.TOUCHED


def test_siblings_missing_dependencies_and_missing_names(tmp_path):
    (tmp_path / "helpers.py").write_text("import kcheck_missing_dependency\n")
    script = tmp_path / "uses_helpers.py"
    script.write_text("import helpers\nimport kcheck_not_here\nclass A:\n    pass\n")
    module = load_definitions(str(script))
    try:
        # helpers is part of the tree: it loads, with a stand-in for its missing import
        assert isinstance(module.helpers.kcheck_missing_dependency, standins.StandInModule)
        assert isinstance(module.kcheck_not_here, standins.StandIn)
        assert "kcheck_missing_dependency" not in sys.modules  # Keras never sees it
    finally:
        sys.modules.pop(module.__name__, None)
    typo = tmp_path / "typo_script.py"
    (tmp_path / "tools.py").write_text("VALUE = 1\n")
    typo.write_text("from tools import VALUE, nothing_here\nclass B:\n    pass\n")
    module = load_definitions(str(typo))
    try:  # the module is there and lacks the name: the user's bug, no stand-in
        assert not hasattr(module, "nothing_here")
        assert getattr(module, SKIPPED_ATTRIBUTE)[0][1] == ["VALUE", "nothing_here"]
    finally:
        sys.modules.pop(module.__name__, None)
