"""Where reported nodes start, without working out positions for the whole file.

libcst's PositionProvider generates the code of the whole module to count lines, which on a
large file costs more than the checks. A finding's line is its top-level statement's first line
(from CPython's ast of the same text, which the cheap pass has anyway) plus its offset inside
that statement, which the provider works out on a module holding only that statement.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from kcheck.facts.cst_walk import walk


def _first_lines(tree: cst.Module, lines: list[int]) -> list[int] | None:
    """The first line of each of *tree*'s top-level statements, from *lines* (one per
    CPython statement: ``a; b`` is one libcst statement and two of CPython's), or None when
    they do not line up."""
    found = []
    index = 0
    for statement in tree.body:
        if index >= len(lines):
            return None
        found.append(lines[index])
        index += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    return found if index == len(lines) else None


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
                      nodes: Sequence[cst.CSTNode]) -> dict[cst.CSTNode, CodeRange]:
    """Positions (as PositionProvider gives them) of *nodes*, all in *tree*; *lines* are
    :func:`statement_lines` of CPython's tree of the same text (None: fall back to the
    whole-module provider)."""
    first_lines = _first_lines(tree, lines) if lines is not None else None
    if first_lines is None:
        return MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    wanted = {id(node): node for node in nodes}
    owners: dict[int, list[cst.CSTNode]] = {}
    for index, statement in enumerate(tree.body):
        if not wanted:
            break
        for node in walk(statement):
            if id(node) in wanted:
                owners.setdefault(index, []).append(wanted.pop(id(node)))
    if wanted:  # a node outside the module's statements: let the provider find it
        return MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    positions: dict[cst.CSTNode, CodeRange] = {}
    for index, found in owners.items():
        statement = tree.body[index]
        alone = tree.with_changes(body=[statement], header=[], footer=[])
        relative = _positions(alone)
        shift = first_lines[index] - len(statement.leading_lines) - 1
        for node in found:
            start, end = relative[node].start, relative[node].end
            positions[node] = CodeRange((start.line + shift, start.column),
                                        (end.line + shift, end.column))
    return positions
