"""`kcheck --fix` on notebooks: only the changed cells' sources are rewritten, every other byte
stays, a second --fix changes nothing, and --diff, --show-fixes, JSON and --fix --verify speak
in cell positions."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kcheck.cli import main
from kcheck.sources.notebook import source_spans

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "notebooks"
FIXED = {  # what --fix --unsafe-fixes does to the corpus notebooks, by (file, cell, code)
    ("colab_saved.ipynb", 3, "KS104"), ("split_registration.ipynb", 5, "KS301"),
    ("tutorial.ipynb", 4, "KS101"), ("tutorial.ipynb", 5, "KS102"),
    ("tutorial.ipynb", 11, "KS601"),
}


def outside_sources(raw: str) -> list[str]:
    pieces, last = [], 0
    for start, end in source_spans(raw):
        pieces.append(raw[last:start])
        last = end
    return pieces + [raw[last:]]


@pytest.fixture()
def notebooks(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    shutil.copytree(CORPUS, folder)
    return folder


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["--no-cache", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_fix_rewrites_only_the_changed_cells_and_a_second_fix_changes_nothing(capsys,
                                                                              notebooks):
    before = {p.name: p.read_text() for p in notebooks.glob("*.ipynb")}
    status, out, _ = run(capsys, "--fix", "--unsafe-fixes", "--show-fixes", str(notebooks))
    assert status == 0, out
    fixed_lines = {(Path(line.split(":")[0]).name, int(line.split(":")[1].split()[1]),
                    line.split(": ")[1].split()[0])
                   for line in out.splitlines() if " fixed - " in line}
    assert fixed_lines == FIXED
    assert "Found 5 findings (5 fixed, 0 remaining)." in out
    after = {p.name: p.read_text() for p in notebooks.glob("*.ipynb")}
    for name, raw in before.items():
        assert outside_sources(after[name]) == outside_sources(raw), name
        old, new = json.loads(raw)["cells"], json.loads(after[name])["cells"]
        changed = {n + 1 for n, (a, b) in enumerate(zip(old, new)) if a != b}
        assert changed == {cell for file, cell, _ in FIXED if file == name}
    assert run(capsys, "--fix", "--unsafe-fixes", str(notebooks))[0] == 0
    assert {p.name: p.read_text() for p in notebooks.glob("*.ipynb")} == after
    assert run(capsys, "--select", "KS", str(notebooks)) == (0, "", "")


def test_a_decorator_and_a_method_land_in_their_own_cells(capsys, notebooks):
    run(capsys, "--fix", "--unsafe-fixes", str(notebooks))
    cells = json.loads((notebooks / "split_registration.ipynb").read_text())["cells"]
    assert cells[4]["source"][0].startswith("@keras.saving.register_keras_serializable(")
    assert cells[4]["source"][1].startswith("class Shift(")
    tutorial = json.loads((notebooks / "tutorial.ipynb").read_text())["cells"]
    gate = "".join(tutorial[3]["source"])
    assert "def get_config(self):" in gate and "def from_config(cls, config):" in gate
    assert tutorial[1]["source"][:2] == ["!pip install -q keras\n", "%matplotlib inline\n"]


def test_diff_shows_cells_and_writes_nothing(capsys, notebooks):
    before = {p.name: p.read_bytes() for p in notebooks.glob("*.ipynb")}
    status, out, err = run(capsys, "--diff", str(notebooks))
    assert status == 1
    headers = [line for line in out.splitlines() if line.startswith("--- ")]
    assert headers == [f"--- {notebooks / 'colab_saved.ipynb'}:cell 3",
                       f"--- {notebooks / 'split_registration.ipynb'}:cell 5",
                       f"--- {notebooks / 'tutorial.ipynb'}:cell 5"]
    assert '+        config.update({"scale": self.scale, "shift": self.shift})' in out
    assert {p.name: p.read_bytes() for p in notebooks.glob("*.ipynb")} == before


def test_json_fix_edits_are_in_cell_rows(capsys):
    status, out, _ = run(capsys, "--format", "json", str(CORPUS / "tutorial.ipynb"))
    items = {item["code"]: item for item in json.loads(out)}
    [edit] = items["KS101"]["fix"]["edits"]
    # Gate's cell has 8 lines: get_config is appended after them, in the same cell.
    assert (edit["cell"], edit["location"]["row"]) == (4, 9)
    [edit] = items["KS601"]["fix"]["edits"]
    assert (edit["cell"], edit["location"]["row"], edit["end_location"]["row"]) == (11, 1, 2)


def test_fix_from_standard_input(capsys, monkeypatch):
    raw = (CORPUS / "split_registration.ipynb").read_bytes()
    monkeypatch.setattr(sys, "stdin", type("In", (), {"buffer": io.BytesIO(raw)})())
    status, out, _ = run(capsys, "--fix", "-", "--stdin-filename", "lesson.ipynb")
    assert status == 0
    cells = json.loads(out)["cells"]
    assert cells[4]["source"][0].startswith("@keras.saving.register_keras_serializable(")
    assert outside_sources(out) == outside_sources(raw.decode())


def test_fix_verify_proves_notebook_fixes(tmp_path):
    pytest.importorskip("keras")
    folder = tmp_path / "notebooks"
    shutil.copytree(CORPUS, folder)
    result = subprocess.run(
        [sys.executable, "-m", "kcheck", "--no-cache", "--fix", "--unsafe-fixes", "--verify",
         str(folder)], capture_output=True, text=True, timeout=900, cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    verified = [line for line in result.stdout.splitlines() if "fixed (verified: " in line]
    assert len(verified) == 5, result.stdout
    assert any("tutorial.ipynb:cell 4:2:7: KS101 fixed (verified: NotImplementedError before, "
               "round trip clean after)" in line for line in verified), result.stdout
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in
                                                              CORPUS.glob("*.ipynb"))


def test_sarif_fixes_replace_cell_sources_in_the_notebook_text(capsys, tmp_path, monkeypatch):
    path = tmp_path / "tutorial.ipynb"
    shutil.copy(CORPUS / "tutorial.ipynb", path)
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "--format", "sarif", "tutorial.ipynb")
    raw = path.read_text()
    lines = raw.splitlines(keepends=True)
    results = {r["ruleId"]: r for r in json.loads(out)["runs"][0]["results"]}
    [change] = results["KS102"]["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "tutorial.ipynb"
    [replacement] = change["replacements"]
    region = replacement["deletedRegion"]
    start = sum(map(len, lines[:region["startLine"] - 1])) + region["startColumn"] - 1
    end = sum(map(len, lines[:region["endLine"] - 1])) + region["endColumn"] - 1
    patched = raw[:start] + replacement["insertedContent"]["text"] + raw[end:]
    cells = json.loads(patched)["cells"]
    assert '        config.update({"scale": self.scale, "shift": self.shift})\n' in \
        cells[4]["source"]
    assert outside_sources(patched) == outside_sources(raw)
