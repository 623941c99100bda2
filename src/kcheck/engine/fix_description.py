"""A fix as data: what the json format prints and what the cache stores.

The edits are the fix applied alone to the file, as line ranges of the original text and the
text that replaces them (ruff's ``location`` / ``end_location`` / ``content``).

A fix rebuilds only the top-level statements it edits (:func:`kcheck.fixes.apply_fixes`), so
only those are generated and compared: generating the whole module and diffing all of its
lines for every fix took minutes on a 2 MB module (``difflib`` on 41,000 lines, many of them
alike, is far from linear).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from kcheck.fixes import Fix, apply_fixes


@dataclass(frozen=True)
class ModuleLines:
    """The checked module's code by line, and the line (0-based) where the code of each of its
    top-level statements begins: generated once per file for all of its fixes."""

    lines: list[str]
    starts: list[int]


def module_lines(tree: cst.Module) -> ModuleLines:
    """*tree*'s :class:`ModuleLines`, its code generated once, part by part. Every statement's
    code ends with a line break, so the lines of the parts add up to the lines of the module;
    a module without a line break at its end (or without statements) is generated whole, since
    the module's own rules then apply to its last line."""
    header = "".join(tree.code_for_node(empty) for empty in tree.header)
    codes = [tree.code_for_node(statement) for statement in tree.body]
    if tree.has_trailing_newline and codes:
        footer = "".join(tree.code_for_node(empty) for empty in tree.footer)
        lines = (header + "".join(codes) + footer).splitlines(keepends=True)
    else:
        lines = tree.code.splitlines(keepends=True)
    line = len(header.splitlines())
    starts = []
    for code in codes:
        starts.append(line)
        line += len(code.splitlines())
    return ModuleLines(lines, starts)


def fix_edits(fix: Fix, tree: cst.Module, before: ModuleLines | None = None) -> list[dict]:
    """Line-level edits that turn the original text into the text with *fix* applied.
    *before* is ``module_lines(tree)``, when the caller has it."""
    if before is None:
        before = module_lines(tree)
    try:
        fixed = apply_fixes(tree, [fix])
    except Exception as error:  # noqa: BLE001 - a broken fix must not break checking
        return [{"error": f"{type(error).__name__}: {error}"}]
    old, new = tree.body, fixed.body
    # The fixed module shares every statement the fix left alone with the original.
    statements = difflib.SequenceMatcher(a=[id(s) for s in old], b=[id(s) for s in new],
                                         autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in statements.get_opcodes():
        if tag == "equal":
            continue
        if i2 == len(old) and (i1 == len(old) or not tree.has_trailing_newline):
            # At the very end the module's own trailing line break rules apply: compare the
            # whole texts (a rare case; the cost is the old one).
            return _line_edits(before.lines, fixed.code.splitlines(keepends=True), 0)
        start = before.starts[i1]
        stop = before.starts[i2] if i2 < len(old) else len(before.lines)
        code = "".join(fixed.code_for_node(s) for s in new[j1:j2])
        if i2 == len(old):
            code += "".join(fixed.code_for_node(empty) for empty in fixed.footer)
        edits.extend(_line_edits(before.lines[start:stop], code.splitlines(keepends=True),
                                 start))
    return edits


def _line_edits(before: Sequence[str], after: Sequence[str], offset: int) -> list[dict]:
    """The edits turning lines *before* into *after*, the first of them being line
    ``offset + 1`` of the file. Lines equal at both ends are set aside first."""
    head, limit = 0, min(len(before), len(after))
    while head < limit and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < limit - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    old, new = before[head:len(before) - tail], after[head:len(after) - tail]
    first = offset + head + 1
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new,
                                                       autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        edits.append({"location": {"row": first + i1, "column": 1},
                      "end_location": {"row": first + i2, "column": 1},
                      "content": "".join(new[j1:j2])})
    return edits


def describe_fix(fix: Fix | None, tree: cst.Module, edits: bool = True,
                 before: ModuleLines | None = None) -> dict | None:
    """``{"applicability", "message", "edits"}`` for *fix*, or None. Without *edits* the
    ``edits`` are left out: working them out applies the fix to the tree. *before*: see
    :func:`fix_edits`."""
    if fix is None:
        return None
    described = {"applicability": fix.applicability, "message": fix.message}
    if edits:
        described["edits"] = fix_edits(fix, tree, before)
    return described
