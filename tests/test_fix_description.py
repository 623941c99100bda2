"""A fix's edits (json and sarif output): worked out from the statements the fix rebuilds, and
equal to a diff of the whole texts."""

from __future__ import annotations

import difflib
import textwrap

import libcst as cst
import pytest

from kcheck.engine.fix_description import fix_edits, module_lines
from kcheck.fixes import SAFE, Edit, Fix


def _apply(text: str, edits: list[dict]) -> str:
    lines = text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: e["location"]["row"], reverse=True):
        first, last = edit["location"]["row"] - 1, edit["end_location"]["row"] - 1
        lines[first:last] = edit["content"].splitlines(keepends=True)
    return "".join(lines)


def _whole_diff(before: str, after: str) -> list[dict]:
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    return [{"location": {"row": i1 + 1, "column": 1}, "end_location": {"row": i2 + 1,
                                                                         "column": 1},
             "content": "".join(b[j1:j2])}
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
                a=a, b=b, autojunk=False).get_opcodes() if tag != "equal"]


def _rename(tree: cst.Module, old: str, new: str, imports: tuple[str, ...] = ()) -> Fix:
    """A fix renaming every function called *old*."""
    targets = [s for s in tree.body if isinstance(s, cst.FunctionDef) and s.name.value == old]
    return Fix(SAFE, "rename", tuple(
        Edit(t, lambda node: node.with_changes(name=cst.Name(new))) for t in targets), imports)


HEAD = '''\
# a comment above everything

"""The module's docstring."""
import os


def first():
    return 1
'''
MIDDLE = '''

# a comment kept with the function below
@decorator
def target(x):
    """Docstring."""
    return x  # trailing comment
'''
TAIL = '''

class After:
    def method(self):
        return 2


def last():
    pass
'''


@pytest.mark.parametrize("text", [
    HEAD + MIDDLE + TAIL,
    HEAD + TAIL + MIDDLE,  # the edited statement ends the module
    (HEAD + TAIL + MIDDLE).rstrip("\n"),  # ... which has no line break at its end
    (HEAD + MIDDLE + TAIL).replace("\n", "\r\n"),
    HEAD + MIDDLE + TAIL + "\n# a comment after everything\n",
    MIDDLE.lstrip("\n") + TAIL,  # the edited statement starts the module
])
@pytest.mark.parametrize("imports", [(), ("import keras",)])
def test_edits_equal_a_diff_of_the_whole_texts(text, imports):
    tree = cst.parse_module(text)
    fix = _rename(tree, "target", "renamed", imports)
    from kcheck.fixes import apply_fixes
    after = apply_fixes(tree, [fix]).code
    edits = fix_edits(fix, tree, module_lines(tree))
    assert edits == _whole_diff(text, after)
    assert _apply(text, edits) == after


def test_module_lines_know_where_each_statement_starts():
    text = HEAD + MIDDLE + TAIL
    tree = cst.parse_module(text)
    found = module_lines(tree)
    assert found.lines == text.splitlines(keepends=True)
    assert [found.lines[start] for start in found.starts] == [
        '"""The module\'s docstring."""\n', "import os\n", "\n", "\n",
        "\n", "\n"]  # each statement's code starts with its leading blank lines
    assert found.lines[found.starts[3] + 2] == "# a comment kept with the function below\n"


def test_a_fix_that_fails_is_an_error_edit():
    tree = cst.parse_module(textwrap.dedent("def f():\n    pass\n"))

    def broken(node):
        raise ValueError("no")

    fix = Fix(SAFE, "break", (Edit(tree.body[0], broken),))
    assert fix_edits(fix, tree) == [{"error": "ValueError: no"}]
