"""Where reported nodes start, without working out positions for the whole file.

libcst's PositionProvider generates the code of the whole module to count lines, which on a
large file costs more than the checks. A node's position only depends on the code generated
before it, so it is worked out on a small module holding only what leads up to the node inside
its top-level statement, and shifted by a line CPython's ast of the same text gives (the cheap
pass has that tree anyway):

- a node inside one member of a compound statement's body (a method of a class, a statement of
  a function) is placed on a module holding the statement's header and that member alone,
  shifted so that the member starts on CPython's line of it;
- a node in the header of a class or function (its name, bases, decorators, parameters) is
  placed on a module holding the header over an empty body, shifted by the statement's first
  line;
- anything else (the statement itself, an ``else`` branch, members that do not line up with
  CPython's, as in a body the cheap pass hollowed) on a module holding the whole statement.
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


def _parts(statement: cst.BaseStatement) -> list[tuple[int, cst.CSTNode]]:
    """(part, root) pairs whose walks together reach every node of *statement* but itself and
    its indented body: each member of that body by its index, then the header of a class or
    function (over an empty body) as :data:`_HEADER`, or the rest of any other compound
    statement as :data:`_WHOLE`."""
    block = getattr(statement, "body", None)
    if not isinstance(block, cst.IndentedBlock):
        return [(_WHOLE, statement)]
    rest = _HEADER if isinstance(statement, (cst.ClassDef, cst.FunctionDef)) else _WHOLE
    return [*enumerate(block.body), (rest, statement.with_changes(body=_EMPTY_BLOCK))]


def _owners(tree: cst.Module, nodes: Sequence[cst.CSTNode]
            ) -> dict[tuple[int, int], list[cst.CSTNode]] | None:
    """The (statement index, part) holding each of *nodes*, walking the tree in order only
    until all are found; None when one is not in the module's statements."""
    wanted = {id(node): node for node in nodes}
    owners: dict[tuple[int, int], list[cst.CSTNode]] = {}
    for index, statement in enumerate(tree.body):
        # The header's walk meets a copy of the statement and an empty body, not these two.
        parts = [(_WHOLE, (statement, getattr(statement, "body", None)))]
        parts += [(part, walk(root)) for part, root in _parts(statement)]
        for part, found_in in parts:
            for node in found_in:
                found = wanted.pop(id(node), None)
                if found is not None:
                    owners.setdefault((index, part), []).append(found)
                    if not wanted:
                        return owners
    return None if wanted else owners


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
    members = members or {}
    member_lines: dict[int, list[int] | None] = {}
    generated: dict[tuple[int, int], tuple[dict, int]] = {}
    positions: dict[cst.CSTNode, CodeRange] = {}
    for (index, part), found in owners.items():
        statement, cpython = tree.body[index], indexes[index]
        if part >= 0:
            if index not in member_lines:
                member_lines[index] = _member_lines(statement.body, members[cpython]) \
                    if cpython in members else None
            if member_lines[index] is None:
                part = _WHOLE
        if (index, part) not in generated:
            generated[index, part] = _generate(tree, statement, part, lines[cpython],
                                               member_lines.get(index))
        relative, shift = generated[index, part]
        for node in found:
            start, end = relative[node].start, relative[node].end
            positions[node] = CodeRange((start.line + shift, start.column),
                                        (end.line + shift, end.column))
    return positions


def _generate(tree: cst.Module, statement: cst.BaseStatement, part: int, first_line: int,
              member_lines: list[int] | None) -> tuple[dict, int]:
    """Positions on the small module for *part* of *statement*, and the lines to add to them:
    the statement's *first_line* (decorators included) or the member's line in *member_lines*
    tells where the generated code really starts."""
    if part >= 0:
        member = statement.body.body[part]
        alone = statement.with_changes(body=statement.body.with_changes(body=[member],
                                                                          footer=[]))
    else:
        alone = statement.with_changes(body=_EMPTY_BLOCK) if part == _HEADER else statement
    relative = _positions(tree.with_changes(body=[alone], header=[], footer=[]))
    if part >= 0:
        return relative, member_lines[part] - relative[member].start.line
    return relative, first_line - len(statement.leading_lines) - 1
