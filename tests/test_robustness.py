"""Bad or unusual input never crashes kcheck: generated programs and real installed code."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcheck.engine import Options, check_source
from kcheck.engine.selection import Selection

hypothesmith = pytest.importorskip("hypothesmith")
# hypothesmith compiles what it generates; CPython warns about nonsense like `1()`.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

EVERY_RULE = Options(selection=Selection(select=("KS",)))
KERAS_HEADER = "import keras\nfrom keras import layers as L\n"


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_generated_programs_never_crash(tmp_path_factory, source):
    # The header makes the prefilter pass, so every generated program is parsed and analysed.
    path = tmp_path_factory.mktemp("gen") / "generated.py"
    check_source(path, KERAS_HEADER + source, EVERY_RULE)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("txt") / "text.py"
    report = check_source(path, KERAS_HEADER + text, EVERY_RULE)
    assert all(v.line >= 1 and v.column >= 1 for v in report.violations)


KERAS_CLASS_SHAPES = [
    "class A(keras.layers.Layer):\n    def get_config(self):\n        return\n",
    "class A(L.Layer):\n    def __init__(self, *a, x, **k): pass\n",
    "class A(A): pass\n",
    "class A(keras.Model, metaclass=type): pass\n",
    "class A(keras.layers.Layer):\n    build = 3\n    get_config = lambda self: {}\n",
    "class A(keras.layers.Layer):\n    def get_config(self):\n"
    "        c = super().get_config(); c[k] = 1; c.update(**x); return {**c, **None}\n",
    "@keras.saving.register_keras_serializable(*args)\nclass A(keras.layers.Layer): pass\n",
    "keras.saving.get_custom_objects()[1:2] = A\n",
    "m.save(f'{x}')\nm.save(path=1)\nm.save()\n",
]


@pytest.mark.parametrize("source", KERAS_CLASS_SHAPES)
def test_odd_but_valid_keras_code_never_crashes(tmp_path, source):
    check_source(tmp_path / "odd.py", KERAS_HEADER + source, EVERY_RULE)


def _package(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


@pytest.mark.parametrize("package", ["keras", "json", "email", "unittest"])
def test_sweep_over_installed_code_finishes_without_a_crash(package):
    folder = _package(package)
    if folder is None:
        pytest.skip(f"{package} is not installed")
    if package == "keras":
        folder = folder / "src" / "layers"  # the part of keras most like users' code
    result = subprocess.run([sys.executable, "-m", "kcheck", "--no-cache", "--select", "KS",
                             str(folder)], capture_output=True, text=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert " KS000 " not in result.stdout, "installed, importable code must parse"
