"""`kcheck --verify` on notebooks: the code cells' definitions run in order in the verifier's
children, and each verdict comes back on its finding's cell position."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from notebooks import notebook_text

from kcheck.engine.verification import NotebookScripts

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "notebooks"

SIBLING = textwrap.dedent('''
    import keras


    class ScaledBase(keras.layers.Layer):
        def __init__(self, factor=1.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}
''')
CHILD = '''@keras.saving.register_keras_serializable(package="nb")
class Shifted(ScaledBase):
    def __init__(self, factor=1.0, offset=0.0, **kwargs):
        super().__init__(factor, **kwargs)
        self.offset = offset

    def call(self, x):
        return super().call(x) + self.offset'''


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    pytest.importorskip("keras")
    folder = tmp_path_factory.mktemp("notebooks")
    for path in CORPUS.glob("*.ipynb"):
        shutil.copy(path, folder / path.name)
    (folder / "mylayers.py").write_text(SIBLING)
    (folder / "sibling.ipynb").write_text(notebook_text([
        "!pip install -q keras\nimport keras\nfrom mylayers import ScaledBase",
        CHILD,
        'raise RuntimeError("a cell that is not a definition must not run")',
        "layer = Shifted(2.0, 0.5)",
    ], markdown_first=True))
    before = sorted(p.name for p in folder.iterdir())
    result = subprocess.run(
        [sys.executable, "-m", "kcheck", "--no-cache", "--verify", "--format", "json",
         str(folder)], capture_output=True, text=True, timeout=900, cwd=folder)
    assert result.returncode == 1, result.stdout + result.stderr
    assert sorted(p.name for p in folder.iterdir()) == before, "nothing written beside them"
    return {(Path(item["path"]).name, item["code"], item["class"]): item
            for item in json.loads(result.stdout)}


def test_every_notebook_finding_is_confirmed_at_its_cell(verified):
    positions = {key: (item["cell"], item["line"], item["verification"]["status"])
                 for key, item in verified.items()}
    assert positions == {
        ("tutorial.ipynb", "KS101", "Gate"): (4, 2, "confirmed"),
        ("tutorial.ipynb", "KS102", "Affine"): (5, 3, "confirmed"),
        ("tutorial.ipynb", "KS601", None): (11, 1, "confirmed"),
        ("split_registration.ipynb", "KS301", "Shift"): (5, 1, "confirmed"),
        ("colab_saved.ipynb", "KS104", "Noisy"): (3, 3, "confirmed"),
        ("sibling.ipynb", "KS102", "Shifted"): (3, 3, "confirmed"),
    }


def test_verdicts_name_the_notebook_not_the_temporary_script(verified):
    for item in verified.values():
        verification = item["verification"]
        assert "kcheck-notebooks-" not in verification["detail"] + verification["method"]
    gate = verified[("tutorial.ipynb", "KS101", "Gate")]["verification"]
    assert gate["detail"].startswith("NotImplementedError")
    assert "call site tutorial.ipynb (module level): Gate(layers.Dense(4)" in gate["method"]


def test_a_base_class_beside_the_notebook_is_imported(verified):
    shifted = verified[("sibling.ipynb", "KS102", "Shifted")]["verification"]
    assert "config key 'offset'" in shifted["detail"], shifted


def test_script_positions_in_a_detail_are_told_as_cells(tmp_path):
    path = tmp_path / "lesson.ipynb"
    path.write_text(notebook_text(["import keras", "x = 1\ny = 2"], markdown_first=True))
    scripts = NotebookScripts()
    try:
        script = scripts.script_for(path)
        assert script.read_text() == "import keras\nx = 1\ny = 2\n"
        assert script.name == "lesson.py"
        detail = f'File "{script}", line 3, in <module>; also {script}:2'
        assert scripts.mapped(detail) == ('File "lesson.ipynb", cell 3, line 2, in <module>; '
                                          "also lesson.ipynb:cell 3, line 1")
    finally:
        scripts.remove()
    assert not script.exists()
