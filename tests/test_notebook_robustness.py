"""Odd notebooks never crash kcheck: arbitrary text, arbitrary JSON, arbitrary cell sources."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcheck.engine import Options, check_source
from kcheck.engine.selection import Selection
from kcheck.sources.notebook import NotebookModule, neutralise, read_notebook
from kcheck.sources.python import SourceError

EVERY_RULE = Options(selection=Selection(select=("KS",)))
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["cells", "cell_type", "source", "metadata", "outputs",
                                       "nbformat", "nbformat_minor", "id", "x"]),
                      children, max_size=5),
    max_leaves=20)
# Lines a notebook cell may hold: Python, IPython, strings, odd newlines, non-ASCII.
CELL_LINES = st.lists(st.sampled_from([
    "import keras", "class A(keras.layers.Layer):", "    def __init__(self, x, **k):",
    "        super().__init__(**k)", "        self.x = x", "    pass", "!pip install keras",
    "%matplotlib inline", "%%time", "%%bash", "x = !ls", "A?", "??A", 's = """', "!inside",
    '"""', "pip install keras", "if True:", "    !echo", "cd /tmp", "# caf\u00e9 \u2028", "\\",
    "x = 1  # noqa", "\r", "", "    ", "\t", "def f(:", "a = A(keras.layers.Dense(4))",
]), max_size=12)


def _notebook(sources: list[str]) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "id": f"c{n}",
                                  "metadata": {}, "outputs": [], "source": source}
                                 for n, source in enumerate(sources)] +
                                [{"cell_type": "markdown", "id": "m", "metadata": {},
                                  "source": "# x"}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


@SETTINGS
@given(st.text(max_size=300))
def test_arbitrary_text_is_a_notebook_or_a_reason(text):
    try:
        assert isinstance(read_notebook(text), NotebookModule)
    except SourceError as error:
        assert str(error).endswith("not checked")


@SETTINGS
@given(JSON)
def test_arbitrary_json_is_a_notebook_or_a_reason(tmp_path_factory, data):
    for document in (data, {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": data},
                     {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [data]}):
        raw = json.dumps(document)
        try:
            read_notebook(raw)
        except SourceError:
            pass
        path = tmp_path_factory.mktemp("nb") / "odd.ipynb"
        check_source(path, raw, EVERY_RULE)


@SETTINGS
@given(st.lists(CELL_LINES.map("\n".join), min_size=1, max_size=4))
def test_arbitrary_cells_keep_their_lines_and_write_back_unchanged(tmp_path_factory, cells):
    raw = _notebook(cells)
    module = read_notebook(raw)
    for cell in module.cells:
        assert cell.line_count == cell.source.replace("\r\n", "\n").replace("\r", "\n") \
            .count("\n") + 1
    assert module.fixed(module.text) == raw
    report = check_source(tmp_path_factory.mktemp("nb") / "cells.ipynb", raw, EVERY_RULE)
    for violation in report.violations:
        assert violation.cell is not None and violation.line >= 1 and violation.column >= 1


@SETTINGS
@given(st.text(max_size=200))
def test_neutralise_keeps_the_line_count(source):
    result = neutralise(source)
    if not isinstance(result, str):
        text, lines = result
        assert text.count("\n") == source.count("\n")
        assert all(1 <= line <= source.count("\n") + 1 for line in lines)


@pytest.mark.parametrize("source", ["x = '\ud800'", "\x00", "s = '''\n!a\n", "\f\n!ls"])
def test_odd_characters_in_a_cell(tmp_path, source):
    check_source(tmp_path / "odd.ipynb", _notebook(["import keras", source]), EVERY_RULE)


@SETTINGS
@given(st.lists(CELL_LINES.map("\n".join), min_size=1, max_size=3), st.booleans(),
       st.sampled_from([None, 1, 2]))
def test_file_positions_point_at_the_character(cells, as_string, indent):
    document = json.loads(_notebook(cells))
    if not as_string:  # as Jupyter writes it: one string per line
        for cell in document["cells"]:
            cell["source"] = cell["source"].splitlines(keepends=True)
    raw = json.dumps(document, indent=indent, ensure_ascii=False)
    module = read_notebook(raw)
    line_starts = [0] + [n + 1 for n, char in enumerate(raw) if char == "\n"]
    for cell in module.cells:
        for number, text in enumerate(cell.source.split("\n"), start=1):
            if "\r" in cell.source:
                continue  # lone CRs are counted as newlines; the split above would not agree
            for column, char in enumerate(text, start=1):
                line, col = module.file_position(cell.number, number, column)
                offset = line_starts[line - 1] + col - 1
                expected = json.dumps(char, ensure_ascii=False)[1:-1]
                assert raw[offset:offset + len(expected)] == expected
