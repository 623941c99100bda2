"""Writing a changed module back into a notebook: only the changed cells' sources change, every
other byte stays (outputs, metadata, cell ids, execution counts, indentation), and a second
pass changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from notebooks import notebook_text

from kcheck.sources.notebook import read_notebook, source_spans

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "notebooks"
NOTEBOOKS = sorted(CORPUS.glob("*.ipynb"))


def outside_sources(raw: str) -> list[str]:
    """The file's text between the cells' source values."""
    pieces, last = [], 0
    for start, end in source_spans(raw):
        pieces.append(raw[last:start])
        last = end
    return pieces + [raw[last:]]


def apply(raw: str, change) -> str:
    module = read_notebook(raw)
    return module.fixed(change(module.text))


def fixes_gate(text: str) -> str:
    """What a fix for the tutorial's Gate and Affine does: a method appended at the end of a
    class, a dict entry changed inside a line. Applied twice, it changes nothing."""
    if '"inner": keras.saving' not in text:
        text = text.replace("        return x * keras.ops.sigmoid(self.inner(x))\n",
                            "        return x * keras.ops.sigmoid(self.inner(x))\n\n"
                            "    def get_config(self):\n"
                            '        return {**super().get_config(), "inner": '
                            "keras.saving.serialize_keras_object(self.inner)}\n")
    return text.replace('config.update({"scale": self.scale})',
                        'config.update({"scale": self.scale, "shift": self.shift})')


def test_only_the_changed_cells_change_in_the_corpus_tutorial():
    raw = (CORPUS / "tutorial.ipynb").read_text()
    fixed = apply(raw, fixes_gate)
    before, after = json.loads(raw), json.loads(fixed)
    changed = [n for n, (a, b) in enumerate(zip(before["cells"], after["cells"])) if a != b]
    assert changed == [3, 4]  # the Gate and Affine cells (0-based)
    for old, new in zip(before["cells"], after["cells"]):
        assert {k: v for k, v in old.items() if k != "source"} == \
               {k: v for k, v in new.items() if k != "source"}
    assert before["metadata"] == after["metadata"]
    assert outside_sources(raw) == outside_sources(fixed)
    gate = "".join(after["cells"][3]["source"])
    # The cell had no newline after its last line, and still has none.
    assert gate.endswith("keras.saving.serialize_keras_object(self.inner)}")
    assert gate.startswith('@keras.saving.register_keras_serializable(package="tutorial")\n')
    # The magics of the untouched first cell, and the lines of the changed cells, as written.
    assert after["cells"][1]["source"][0] == "!pip install -q keras\n"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_an_unchanged_module_writes_the_same_bytes(path):
    raw = path.read_text()
    module = read_notebook(raw)
    assert module.fixed(module.text) == raw
    assert module.changed_sources(module.text) == {}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_second_pass_changes_nothing(path):
    raw = path.read_text()
    once = apply(raw, fixes_gate)
    assert apply(once, fixes_gate) == once
    again = read_notebook(once)
    assert again.fixed(again.text) == once


def test_colab_layout_is_kept():
    raw = (CORPUS / "colab_saved.ipynb").read_text()
    fixed = apply(raw, lambda text: text.replace(
        "    def __init__(self, stddev):  # expect: KS104\n        super().__init__()\n",
        "    def __init__(self, stddev, **kwargs):  # expect: KS104\n"
        "        super().__init__(**kwargs)\n"))
    assert outside_sources(raw) == outside_sources(fixed)
    assert '      "    def __init__(self, stddev, **kwargs):  # expect: KS104\\n",\n' in fixed
    assert json.loads(fixed)["cells"][2]["metadata"] == {"id": "kP0sT7vBn4Qa"}


def test_neutralised_lines_come_back_in_a_changed_cell():
    raw = notebook_text(["!pip install keras\nimport keras\n%matplotlib inline\nx = 1"])
    fixed = apply(raw, lambda text: text.replace("x = 1", "x = 2"))
    assert json.loads(fixed)["cells"][0]["source"] == [
        "!pip install keras\n", "import keras\n", "%matplotlib inline\n", "x = 2"]


@pytest.mark.parametrize(("change", "expected"), [
    # A decorator added to the class that opens a cell belongs to that cell.
    (lambda t: t.replace("class Shift", "@keras.saving.register_keras_serializable()\n"
                         "class Shift"),
     {2: "@keras.saving.register_keras_serializable()\nclass Shift(keras.layers.Layer):\n"
         "    pass"}),
    # A statement added after a class belongs to the class's cell.
    (lambda t: t.replace("class Scale(keras.layers.Layer):\n    pass",
                         "class Scale(keras.layers.Layer):\n    pass\n"
                         "keras.saving.get_custom_objects()['Scale'] = Scale"),
     {1: "class Scale(keras.layers.Layer):\n    pass\n"
         "keras.saving.get_custom_objects()['Scale'] = Scale"}),
    # A line rewritten at the start of a cell stays in its cell (not the cell before it).
    (lambda t: t.replace('model.save("m")', 'model.save("m.keras")'),
     {3: 'model.save("m.keras")'}),
    # An import added at the top belongs to the first code cell.
    (lambda t: "from keras import saving\n" + t,
     {0: "from keras import saving\nimport keras"}),
])
def test_new_lines_go_to_the_cell_they_belong_to(change, expected):
    raw = notebook_text(["import keras", "class Scale(keras.layers.Layer):\n    pass",
                         "class Shift(keras.layers.Layer):\n    pass", 'model.save("m")'])
    module = read_notebook(raw)
    assert module.changed_sources(change(module.text)) == expected


def _notebook_data(source) -> dict:
    return {"cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "# caf\u00e9"},
        {"cell_type": "code", "execution_count": 7, "metadata": {"tags": ["x"]},
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "ok\n"}],
         "source": source}],
        "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 4}


@pytest.mark.parametrize(("name", "source", "dump"), [
    ("one string", "import keras\nx = 1", {"indent": 1}),
    ("minified", ["import keras\n", "x = 1"], {}),
    ("compact", ["import keras\n", "x = 1"], {"separators": (",", ":")}),
    ("ascii escapes", ["import keras\n", "x = 1  # caf\u00e9"],
     {"indent": 2, "ensure_ascii": True}),
    ("empty source", [], {"indent": 4}),
    ("tabs", ["import keras\n", "x = 1"], {"indent": "\t"}),
    ("crlf", ["import keras\n", "x = 1"], {"indent": 1}),
])
def test_every_layout_is_written_in_its_own_style(name, source, dump):
    """A file written by json.dumps with some settings, changed, is what json.dumps with the
    same settings writes for the changed notebook."""
    crlf = name == "crlf"
    raw = json.dumps(_notebook_data(source), ensure_ascii=dump.pop("ensure_ascii", False),
                     **dump)
    raw = raw.replace("\n", "\r\n") if crlf else raw
    module = read_notebook(raw)
    if "x = 1" in module.text:
        new_text, new_source = module.text.replace("x = 1", "x = 2"), [
            line.replace("x = 1", "x = 2") for line in source]
    else:
        new_text, new_source = "import keras\n", ["import keras"]
    if isinstance(source, str):
        new_source = source.replace("x = 1", "x = 2")
    fixed = module.fixed(new_text)
    expected = json.dumps(_notebook_data(new_source), ensure_ascii=name == "ascii escapes",
                          **dump)
    assert fixed == (expected.replace("\n", "\r\n") if crlf else expected)
    again = read_notebook(fixed)
    assert again.fixed(again.text) == fixed


def test_a_byte_order_mark_is_kept():
    raw = "\ufeff" + notebook_text(["import keras\nx = 1"])
    module = read_notebook(raw)
    data = module.encode(module.fixed(module.text.replace("x = 1", "x = 2")))
    assert data.startswith(b"\xef\xbb\xbf")
    assert json.loads(data.decode("utf-8-sig"))["cells"][0]["source"][-1] == "x = 2"


def test_replacements_in_the_file_s_own_coordinates():
    raw = (CORPUS / "tutorial.ipynb").read_text()
    module = read_notebook(raw)
    [((line, column), (end_line, end_column), text)] = module.replacements(
        module.text.replace('config.update({"scale": self.scale})',
                            'config.update({"scale": self.scale, "shift": self.shift})'))
    lines = raw.splitlines(keepends=True)
    offset = sum(len(x) for x in lines[:line - 1]) + column - 1
    end = sum(len(x) for x in lines[:end_line - 1]) + end_column - 1
    assert raw[offset] == "[" and raw[end - 1] == "]"
    patched = raw[:offset] + text + raw[end:]
    assert patched == module.fixed(module.text.replace(
        'config.update({"scale": self.scale})',
        'config.update({"scale": self.scale, "shift": self.shift})'))
    assert module.replacements(module.text) == []
