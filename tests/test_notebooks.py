"""Jupyter notebooks: reading, cell positions, every output format, folders, broken files, and
agreement with the same code as a script and with a real `nbqa flake8` run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from expectations import EXPECT
from notebooks import notebook_text

from kcheck.cli import main
from kcheck.sources.notebook import neutralise, read_notebook, source_spans
from kcheck.sources.python import SourceError

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "notebooks"
NOTEBOOKS = sorted(CORPUS.glob("*.ipynb"))
BROKEN = ROOT / "tests" / "notebook_cases" / "broken"

GATE = '''@keras.saving.register_keras_serializable(package="t")
class Gate(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)'''


def run(capsys, *args: str) -> tuple[int, str]:
    status = main(["--no-cache", *args])
    return status, capsys.readouterr().out


def findings(capsys, *paths: Path, args: tuple[str, ...] = ()) -> list[dict]:
    status, out = run(capsys, "--select", "KS", "--format", "json", *args,
                      *(str(p) for p in paths))
    assert status in (0, 1, 3), out
    return json.loads(out)


def marked(path: Path) -> list[tuple[int, int, str]]:
    """(cell, line, code) for each `# expect:` marker in the notebook's code cells; cells are
    numbered as ruff numbers them, over all cells."""
    notebook = nbformat.read(path, as_version=4)
    found = []
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        for line, text in enumerate(cell.source.split("\n"), start=1):
            match = EXPECT.search(text)
            if match:
                found += [(number, line, code.strip()) for code in match.group(1).split(",")]
    return sorted(found)


# -- reading -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "expected", "lines"), [
    ("!pip install -q keras\nimport keras", "pass\nimport keras", (1,)),
    ("%matplotlib inline\n%load_ext autoreload", "pass\npass", (1, 2)),
    ("files = !ls\nout = %sx ls", "files = None\nout = None", (1, 2)),
    ("Gate?\n??Gate\nkeras.layers.Dense??", "pass\npass\npass", (1, 2, 3)),
    ("if True:\n    !echo x\nx = 1", "if True:\n    pass\nx = 1", (2,)),
    ("!pip install \\\n    keras\nimport keras", "pass\npass\nimport keras", (1, 2)),
    ("pip install keras\nimport keras", "pass\nimport keras", (1,)),
    ("%%time\nmodel = 1", "pass\nmodel = 1", (1,)),
    ("\n%%capture\nx = 1", "\npass\nx = 1", (2,)),
    ("time = 3\ncd = 4", "time = 3\ncd = 4", ()),  # Python that looks like automagic
    ('doc = """\n!not a shell line\n%not a magic\n"""', 'doc = """\n!not a shell line\n'
     '%not a magic\n"""', ()),
    ("x = 1  # what?\ny = 2", "x = 1  # what?\ny = 2", ()),
    ("", "", ()),
])
def test_ipython_lines_become_neutral_lines_on_the_same_line(source, expected, lines):
    assert neutralise(source) == (expected, lines)


@pytest.mark.parametrize("magic", ["%%bash", "%%writefile layers.py", "%%html", "%%sh",
                                   "%%javascript", "%%script bash"])
def test_a_cell_magic_that_is_not_python_leaves_the_cell_out(magic):
    assert neutralise(f"{magic}\nclass A(keras.layers.Layer): pass") == f"{magic.split()[0]} cell"


def test_cells_are_numbered_over_all_cells_as_ruff_does():
    module = read_notebook(notebook_text(["import keras", "%%bash\nls", "x = 1\ny = 2\n"],
                                         markdown_first=True))
    # markdown = cell 1, import = cell 2, %%bash = cell 3 (left out), x/y = cell 4
    assert [cell.number for cell in module.cells] == [2, 4]
    assert module.text == "import keras\nx = 1\ny = 2\n\n"
    assert [module.position(line) for line in (1, 2, 3)] == [(2, 1), (4, 1), (4, 2)]
    assert module.skipped == ((3, "%%bash cell"),)


@pytest.mark.parametrize("metadata", [
    {"language_info": {"name": "R"}},
    {"kernelspec": {"name": "ir", "display_name": "R", "language": "R"}},
])
def test_a_notebook_of_another_language_has_nothing_to_check(capsys, tmp_path, metadata):
    path = tmp_path / "r.ipynb"
    path.write_text(notebook_text(["library(keras)\nclass(x) <- 'keras'"], **metadata))
    assert run(capsys, str(path)) == (0, "")


@pytest.mark.parametrize(("name", "reason"), [
    ("invalid_json.ipynb", "invalid JSON (Expecting ',' delimiter at line 6 column 1)"),
    ("nbformat3.ipynb", "nbformat 3, kcheck reads nbformat 4"),
    ("no_cells.ipynb", "it has no cells"),
    ("cell_without_source.ipynb", "'source' is a required property (at cells/0)"),
])
def test_a_broken_notebook_is_ks000_with_the_reason(name, reason):
    with pytest.raises(SourceError, match=re.escape(reason)):
        read_notebook((BROKEN / name).read_text())


def test_broken_notebooks_are_reported_and_the_run_goes_on(capsys):
    status, out = run(capsys, str(BROKEN), str(CORPUS / "tutorial.ipynb"))
    assert status == 3  # findings and files that could not be checked
    for path in BROKEN.iterdir():
        assert f"{path}:1:1: KS000 not a valid notebook: " in out
    assert "tutorial.ipynb:cell 4:2:7: KS101 Gate" in out
    assert "4 files could not be checked" in out


def test_a_file_that_is_neither_python_nor_a_notebook_says_so(capsys, tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Notes\n\nkeras layers: see `Gate`.\n")
    status, out = run(capsys, str(path))
    assert status == 2
    assert "KS000 neither Python nor a Jupyter notebook (syntax error" in out


# -- the corpus ----------------------------------------------------------------------------------


def test_corpus_has_the_notebooks_the_issue_asks_for():
    kinds = set()
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
        if sum(cell.cell_type == "markdown" for cell in notebook.cells):
            kinds.add("markdown")
        if any(line.lstrip().startswith("%") for s in sources for line in s.split("\n")):
            kinds.add("magic")
        if any(line.lstrip().startswith("!") for s in sources for line in s.split("\n")):
            kinds.add("shell")
        if "colab" in notebook.metadata:
            kinds.add("colab")
    assert kinds == {"markdown", "magic", "shell", "colab"}
    assert len(NOTEBOOKS) >= 3


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_findings_sit_on_the_marked_cell_lines(capsys, path):
    found = sorted((f["cell"], f["line"], f["code"]) for f in findings(capsys, path))
    assert found == marked(path)
    assert found, "every corpus notebook has a finding"


def _as_script(notebook_path: Path, folder: Path) -> Path:
    """The notebook converted as `jupyter nbconvert --to script` does: IPython's own transformer
    turns magics and shell lines into Python calls."""
    transformer = pytest.importorskip("IPython.core.inputtransformer2").TransformerManager()
    notebook = nbformat.read(notebook_path, as_version=4)
    script = folder / f"{notebook_path.stem}.py"
    script.write_text("".join(transformer.transform_cell(cell.source) + "\n\n"
                              for cell in notebook.cells if cell.cell_type == "code"))
    return script


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_and_its_script_give_the_same_findings(capsys, tmp_path, path):
    script = _as_script(path, tmp_path)
    as_notebook = {(f["code"], f["class"]) for f in findings(capsys, path)}
    as_script = {(f["code"], f["class"]) for f in findings(capsys, script)}
    assert as_notebook == as_script
    assert as_notebook


# -- output formats ------------------------------------------------------------------------------


@pytest.fixture()
def gate_notebook(tmp_path) -> Path:
    path = tmp_path / "tutorial.ipynb"
    path.write_text(notebook_text(["!pip install keras\nimport keras", GATE,
                                   "gate = Gate(keras.layers.Dense(4))"],
                                  markdown_first=True))
    return path


def test_text_output_reads_like_ruff(capsys, gate_notebook):
    status, out = run(capsys, "--show-source", str(gate_notebook))
    assert status == 1
    assert out.splitlines()[:3] == [
        f"{gate_notebook}:cell 3:2:7: KS101 " + out.split(" KS101 ")[1].splitlines()[0],
        "2 | class Gate(keras.layers.Layer):",
        "  |       ^",
    ]


def test_json_has_the_cell(capsys, gate_notebook, tmp_path):
    [item] = findings(capsys, gate_notebook)
    assert (item["cell"], item["line"], item["column"], item["class"]) == (3, 2, 7, "Gate")
    script = tmp_path / "gate.py"
    script.write_text("import keras\n" + GATE + "\ngate = Gate(keras.layers.Dense(4))\n")
    [item] = findings(capsys, script)
    assert item["cell"] is None


def _json_line(path: Path, line: int, column: int) -> str:
    return path.read_text().splitlines()[line - 1][column - 1:]


def test_sarif_points_at_the_notebook_and_its_json_line(capsys, gate_notebook, monkeypatch):
    monkeypatch.chdir(gate_notebook.parent)
    status, out = run(capsys, "--format", "sarif", gate_notebook.name)
    [result] = json.loads(out)["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "tutorial.ipynb", "uriBaseId": "%SRCROOT%"}
    region = location["region"]
    # The region is where the class name is written in the .ipynb's JSON text.
    assert _json_line(gate_notebook, region["startLine"], region["startColumn"]).startswith(
        'Gate(keras.layers.Layer):\\n",')
    assert result["properties"] == {"cell": 3, "cellLine": 2, "cellColumn": 7}
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "tests" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(json.loads(out))


def test_github_annotations_point_at_the_notebook(capsys, gate_notebook):
    status, out = run(capsys, "--format", "github", str(gate_notebook))
    match = re.match(r"::error file=(.+),line=(\d+),col=(\d+),title=KS101::cell 3, line 2: Gate",
                     out)
    assert match, out
    assert match.group(1) == str(gate_notebook)
    assert _json_line(gate_notebook, int(match.group(2)), int(match.group(3))).startswith("Gate(")


def test_positions_in_json_text_of_every_layout(tmp_path):
    source = "import keras\nclass Gate(keras.layers.Layer):\n    pass\n"
    layouts = {
        "lines": notebook_text([source]),
        "one string": json.dumps({"cells": [{"cell_type": "code", "execution_count": None,
                                             "metadata": {}, "outputs": [],
                                             "source": source}],
                                  "metadata": {}, "nbformat": 4, "nbformat_minor": 4}),
        "ascii escapes": notebook_text(["# caf\u00e9\n" + source]),
        "lines not split": json.dumps({"cells": [{"cell_type": "code", "execution_count": None,
                                                  "metadata": {}, "outputs": [],
                                                  "source": ["import keras\nclass ",
                                                             "Gate(keras.layers.Layer):\n",
                                                             "    pass\n"]}],
                                       "metadata": {}, "nbformat": 4, "nbformat_minor": 4}),
    }
    for name, raw in layouts.items():
        if name == "ascii escapes":
            raw = json.dumps(json.loads(raw), indent=2, ensure_ascii=True)
        module = read_notebook(raw)
        cell = module.cells[0]
        line = 2 + (name == "ascii escapes")
        file_line, file_column = module.file_position(cell.number, line, 7)
        text = raw.splitlines()[file_line - 1][file_column - 1:]
        assert text.startswith("Gate(keras"), (name, text)


def test_noqa_works_inside_a_cell(capsys, tmp_path):
    path = tmp_path / "quiet.ipynb"
    path.write_text(notebook_text(["import keras", GATE.replace(
        "class Gate(keras.layers.Layer):", "class Gate(keras.layers.Layer):  # noqa: KS101"),
        "gate = Gate(keras.layers.Dense(4))"]))
    assert run(capsys, str(path)) == (0, "")


def test_stdin_notebook(capsys, monkeypatch, gate_notebook):
    import io

    data = gate_notebook.read_bytes()
    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": io.BytesIO(data)})())
    status, out = run(capsys, "-", "--stdin-filename", "lesson.ipynb", "--show-source")
    assert status == 1
    assert out.startswith("lesson.ipynb:cell 3:2:7: KS101")
    assert "2 | class Gate(keras.layers.Layer):" in out


def test_flake8_on_a_notebook_points_at_its_json_line(gate_notebook):
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "KS",
                             str(gate_notebook)], capture_output=True, text=True, timeout=120)
    match = re.match(r".+:(\d+):(\d+): KS101 cell 3:2:7: Gate", result.stdout)
    assert match, result.stdout + result.stderr
    assert _json_line(gate_notebook, int(match.group(1)), int(match.group(2))).startswith("Gate(")


# -- folders -------------------------------------------------------------------------------------


def test_folders_include_notebooks_unless_excluded(capsys, tmp_path, gate_notebook):
    checkpoint = tmp_path / ".ipynb_checkpoints"
    checkpoint.mkdir()
    shutil.copy(gate_notebook, checkpoint / "tutorial-checkpoint.ipynb")
    assert [f["path"] for f in findings(capsys, tmp_path)] == [str(gate_notebook)]
    assert findings(capsys, tmp_path, args=("--exclude", "*.ipynb")) == []
    # A fresh folder: configuration lookups are cached per process.
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(gate_notebook, project / "tutorial.ipynb")
    (project / "pyproject.toml").write_text('[tool.kcheck]\nexclude = ["*.ipynb"]\n')
    assert findings(capsys, project) == []


def test_the_cache_answers_for_notebooks(capsys, tmp_path, gate_notebook):
    cache = tmp_path / "cache"
    first = main(["--cache-dir", str(cache), "--format", "json", str(gate_notebook)])
    cold = json.loads(capsys.readouterr().out)
    assert main(["--cache-dir", str(cache), "--format", "json", str(gate_notebook)]) == first
    assert json.loads(capsys.readouterr().out) == cold
    assert cold[0]["cell"] == 3


# -- nbQA + flake8 -------------------------------------------------------------------------------


def test_nbqa_flake8_agrees_with_kcheck(capsys, tmp_path):
    pytest.importorskip("nbqa", reason="nbqa is not installed (pip install nbqa)")
    folder = tmp_path / "notebooks"
    shutil.copytree(CORPUS, folder)  # nbQA writes its temporary scripts beside each notebook
    result = subprocess.run([sys.executable, "-m", "nbqa", "flake8", str(folder), "--select",
                             "KS"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    # nbQA numbers code cells only; kcheck, like ruff, numbers all cells.
    code_cells = {}
    for path in folder.glob("*.ipynb"):
        cells = nbformat.read(path, as_version=4).cells
        numbers = [n for n, cell in enumerate(cells, start=1) if cell.cell_type == "code"]
        code_cells[path.name] = {k: n for k, n in enumerate(numbers, start=1)}
    through_nbqa = set()
    for line in result.stdout.splitlines():
        match = re.match(r"(.+\.ipynb):cell_(\d+):(\d+):(\d+): (KS\d+) ", line)
        assert match, line
        name = Path(match.group(1)).name
        through_nbqa.add((name, code_cells[name][int(match.group(2))], int(match.group(3)),
                          int(match.group(4)), match.group(5)))
    through_kcheck = {(Path(f["path"]).name, f["cell"], f["line"], f["column"], f["code"])
                      for f in findings(capsys, folder)}
    assert through_nbqa == through_kcheck
    assert len(through_kcheck) >= 5
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in NOTEBOOKS)


# -- spans in the JSON text ------------------------------------------------------------------------


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_source_spans_find_every_cell_source(path):
    raw = path.read_text()
    cells = json.loads(raw)["cells"]
    spans = source_spans(raw)
    assert [json.loads(raw[start:end]) for start, end in spans] == [c["source"] for c in cells]
