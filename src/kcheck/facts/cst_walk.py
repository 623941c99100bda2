"""A read-only walk over libcst trees.

``CSTNode.visit`` and ``CSTNode.children`` rebuild every node they pass, which costs about as
much as parsing again (shared/PERFORMANCE.md). This walk reads the dataclass fields directly
and skips whitespace and punctuation, which never hold code. Which fields can hold nodes, and
how, is read once per node class from libcst's type hints (tests/test_cst_walk.py checks the
result against a plain reading of every field), so a walk step does no per-item type check.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import typing
from collections.abc import Iterator

import libcst as cst

_SKIP_FIELDS = frozenset({
    "comma", "semicolon", "lpar", "rpar", "lbracket", "rbracket", "lbrace", "rbrace", "colon",
    "dot", "equal", "star", "operator", "header", "footer", "leading_lines",
    "lines_after_decorators", "newline", "arrow", "asynchronous",
})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _code_fields(node_type: type) -> tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        names = tuple(
            field.name for field in dataclasses.fields(node_type)
            if field.name not in _SKIP_FIELDS and "whitespace" not in field.name
        )
        _FIELDS[node_type] = names
    return names


class _NodeTypes(dict):
    """``issubclass(value_type, cst.CSTNode)``, remembered: CSTNode is an ABC, and an
    ``isinstance`` check through ABCMeta costs more than the rest of a walk step. A dict that
    fills itself, so a known type costs one lookup and no Python call."""

    def __missing__(self, value_type: type) -> bool:
        known = self[value_type] = issubclass(value_type, cst.CSTNode)
        return known


_IS_NODE = _NodeTypes()
_SEQUENCES = (tuple, list)
# How a code field holds nodes, read once per node class from its type hints (libcst's field
# types are fixed per class): a sequence of nodes, always one node, or either/none (checked).
_SEQUENCE, _NODE, _CHECKED = 1, 2, 0


def _holds_node(hint: object) -> bool:
    if isinstance(hint, type):
        return issubclass(hint, cst.CSTNode)
    return any(_holds_node(argument) for argument in typing.get_args(hint))


def _plan(node_type: type) -> tuple[tuple[str, int], ...]:
    """The code fields of *node_type* that can hold nodes, each with how it holds them. A
    field typed ``str`` (``Name.value``, ``Integer.value``) is left out, so a leaf costs
    nothing, and a field typed ``Sequence[Arg]`` needs no check per item."""
    names = _code_fields(node_type)
    try:
        hints = typing.get_type_hints(node_type)
    except Exception:  # noqa: BLE001 - unreadable hints: check every value, as for any field
        return tuple((name, _CHECKED) for name in names)
    plan = []
    for name in names:
        hint = hints.get(name)
        if hint is None:
            plan.append((name, _CHECKED))
        elif not _holds_node(hint):
            continue
        elif typing.get_origin(hint) is collections.abc.Sequence:
            plan.append((name, _SEQUENCE))
        elif isinstance(hint, type):
            plan.append((name, _NODE))
        else:  # Optional[...], a node or MaybeSentinel, a sequence or ImportStar
            plan.append((name, _CHECKED))
    return tuple(plan)


class _Plans(dict):
    def __missing__(self, node_type: type) -> tuple[tuple[str, int], ...]:
        plan = self[node_type] = _plan(node_type)
        return plan


_PLANS = _Plans()


def _push_children(stack: list[cst.CSTNode], current: cst.CSTNode,
                   plan: tuple[tuple[str, int], ...]) -> None:
    """Push the code-holding children of *current* (whose class has *plan*) on *stack*: field
    by field, a sequence's items reversed (so they come off in source order). Facts that keep
    the last of several assignments depend on this order."""
    for name, holds in plan:
        value = getattr(current, name)
        if holds == _SEQUENCE:
            stack.extend(reversed(value))
        elif holds == _NODE:
            stack.append(value)
        else:
            value_type = type(value)
            if value_type in _SEQUENCES:
                stack.extend([item for item in reversed(value) if _IS_NODE[type(item)]])
            elif _IS_NODE[value_type]:
                stack.append(value)


def _children(current: cst.CSTNode) -> list[cst.CSTNode]:
    """The code-holding children of *current*, in the order a walk pushes them."""
    found: list[cst.CSTNode] = []
    _push_children(found, current, _PLANS[type(current)])
    return found


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Yield *node* and every node below it, parents before children."""
    stack = [node]
    plans = _PLANS
    while stack:
        current = stack.pop()
        yield current
        plan = plans[type(current)]
        if plan:  # a leaf (name, number, string) has none: most nodes are leaves
            _push_children(stack, current, plan)


def children_in_walk_order(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The children of *node* in the order :func:`walk` and :func:`walk_skipping_scopes`
    reach them: walking each child's subtree in turn visits what walking *node* visits after
    *node* itself, in the same order."""
    return _children(node)[::-1]


_SCOPES = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})


def walk_skipping_scopes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Like :func:`walk`, but does not enter nested function, class or lambda bodies."""
    yield node
    stack = _children(node)
    plans = _PLANS
    while stack:
        current = stack.pop()
        yield current
        kind = type(current)
        if kind not in _SCOPES:
            plan = plans[kind]
            if plan:
                _push_children(stack, current, plan)


def dotted_name(node: cst.CSTNode) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts = []
    # Exact types: isinstance through libcst's ABCs is slow, and parsed trees hold no subclasses.
    while type(node) is cst.Attribute:
        parts.append(node.attr.value)
        node = node.value
    if type(node) is cst.Name:
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def string_value(node: cst.CSTNode) -> str | None:
    """The value of a plain string literal (no f-string), else None."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None
