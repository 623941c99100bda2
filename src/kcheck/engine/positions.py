"""Where reported nodes start, without working out positions for the whole file.

libcst's PositionProvider generates the code of the whole module to count lines, which on a
large file costs more than the checks. A node's position depends only on the code generated
before it, so it is worked out on a small module holding what leads up to the node inside its
top-level statement, and shifted so that the statement, or the member of its body, starts on
the line CPython's ast of the same text gives it (the cheap pass has that tree anyway; both
start a statement at its keyword, after decorators and comments):

- a node inside one member of a compound statement's body (a method of a class, a statement of
  a function) is placed on a module holding the statement's header and that member alone;
- a node in the header of a class or function (its name, bases, decorators, parameters) on the
  header over an empty body;
- anything else (the statement itself, an ``else`` branch, members that do not line up with
  CPython's, as where the cheap pass put one string for several methods) on the whole
  statement.

Positions follow the text where libcst itself loses a line (it drops a line holding only a
backslash, so its own positions after one are a line early).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from kcheck.facts.cst_walk import walk

_WHOLE = -1  # a part of a statement: all of it
_HEADER = -2  # a part of a statement: a class's or function's header
_EMPTY_BLOCK = cst.IndentedBlock(body=())


def _cpython_indexes(tree: cst.Module, lines: list[int]) -> list[int] | None:
    """The index among CPython's top-level statements of each of *tree*'s (``a; b`` is one
    libcst statement and two of CPython's), *lines* having one item per CPython statement;
    None when they do not line up."""
    found = []
    index = 0
    for statement in tree.body:
        if index >= len(lines):
            return None
        found.append(index)
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return found if index == len(lines) else None


def _member_lines(block: cst.IndentedBlock, members: list[tuple[int, bool]]) -> list[int] | None:
    """CPython's line of each statement of *block*, from *members* (:func:`member_lines` of
    the same body: line and whether compound, one per CPython statement), or None when they do
    not line up: the cheap pass may have put one string where CPython sees several methods."""
    found = []
    index = 0
    for member in block.body:
        simple = isinstance(member, cst.SimpleStatementLine)
        count = len(member.body) if simple else 1
        if index + count > len(members) or any(
                compound == simple for _, compound in members[index:index + count]):
            return None
        found.append(members[index][0])
        index += count
    return found if index == len(members) else None


def _owners(tree: cst.Module, nodes: Sequence[cst.CSTNode]
            ) -> dict[int, list[cst.CSTNode]] | None:
    """The index of the top-level statement holding each of *nodes*, walking the statements in
    order only until all are found; None when one is not in the module's statements."""
    wanted = {id(node): node for node in nodes}
    owners: dict[int, list[cst.CSTNode]] = {}
    for index, statement in enumerate(tree.body):
        if not wanted:
            return owners
        for node in walk(statement):
            found = wanted.pop(id(node), None)
            if found is not None:
                owners.setdefault(index, []).append(found)
    return None if wanted else owners


def _parts(statement: cst.BaseStatement, nodes: list[cst.CSTNode]
           ) -> dict[int, list[cst.CSTNode]]:
    """Which part of *statement* holds each of *nodes* (all in it): the header of a class or
    function (:data:`_HEADER`), a member of an indented body (by its index), or anything else
    (:data:`_WHOLE`: the statement itself, its body, an ``else`` branch). Only statements with
    findings are walked this second time, the small header first."""
    block = getattr(statement, "body", None)
    left = {id(node): node for node in nodes}
    parts: dict[int, list[cst.CSTNode]] = {}

    def take(part: int, root: cst.CSTNode) -> None:
        for node in walk(root):
            found = left.pop(id(node), None)
            if found is not None:
                parts.setdefault(part, []).append(found)

    if isinstance(block, cst.IndentedBlock) and {id(statement), id(block)}.isdisjoint(left):
        if isinstance(statement, (cst.ClassDef, cst.FunctionDef)):
            take(_HEADER, statement.with_changes(body=_EMPTY_BLOCK))  # meets a copy, not these
        for index, member in enumerate(block.body):
            if not left:
                break
            take(index, member)
    if left:
        parts.setdefault(_WHOLE, []).extend(left.values())
    return parts


def _positions(module: cst.Module):
    """PositionProvider's answers for *module*. MetadataWrapper runs the provider after a
    visit of the whole tree that this provider does not use and that costs as much as the
    provider itself (shared/PERFORMANCE.md), so the provider is run on its own; should
    libcst's internals change, the wrapper is used."""
    try:
        provider = PositionProvider()
        provider._gen_impl(module)
        return provider._computed
    except (AttributeError, TypeError):
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


def finding_positions(tree: cst.Module, lines: list[int] | None,
                      nodes: Sequence[cst.CSTNode],
                      members: dict[int, list[tuple[int, bool]]] | None = None
                      ) -> dict[cst.CSTNode, CodeRange]:
    """Positions (as PositionProvider gives them on all of *tree*) of *nodes*, all in *tree*.
    *lines* and *members* are :func:`statement_lines` and :func:`member_lines` of CPython's
    tree of the same text (without *lines*, the whole-module provider answers; without
    *members*, a node in a body is placed on its whole top-level statement)."""
    indexes = _cpython_indexes(tree, lines) if lines is not None else None
    owners = _owners(tree, nodes) if indexes is not None else None
    if owners is None:
        return MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    positions: dict[cst.CSTNode, CodeRange] = {}
    for index, held in owners.items():
        statement, cpython = tree.body[index], indexes[index]
        parts = _parts(statement, held)
        lines_of_members = None
        if any(part >= 0 for part in parts):
            if members and cpython in members:
                lines_of_members = _member_lines(statement.body, members[cpython])
            if lines_of_members is None:
                parts = {_WHOLE: held}  # members that do not line up: generated once, whole
        for part, found in parts.items():
            relative, shift = _generate(tree, statement, part, lines[cpython], lines_of_members)
            for node in found:
                start, end = relative[node].start, relative[node].end
                positions[node] = CodeRange((start.line + shift, start.column),
                                            (end.line + shift, end.column))
    return positions


def _generate(tree: cst.Module, statement: cst.BaseStatement, part: int, line: int,
              member_lines: list[int] | None) -> tuple[dict, int]:
    """Positions on the small module for *part* of *statement*, and the lines to add to them:
    CPython's *line* of the statement, or of the member in *member_lines*, is where that
    statement or member really starts (its keyword, after decorators and comments)."""
    if part >= 0:
        anchor = statement.body.body[part]
        line = member_lines[part]
        alone = statement.with_changes(body=statement.body.with_changes(body=[anchor],
                                                                          footer=[]))
    else:
        alone = statement.with_changes(body=_EMPTY_BLOCK) if part == _HEADER else statement
        anchor = alone
    relative = _positions(tree.with_changes(body=[alone], header=[], footer=[]))
    return relative, line - relative[anchor].start.line
