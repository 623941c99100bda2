"""A read-only walk over libcst trees.

``CSTNode.visit`` and ``CSTNode.children`` rebuild every node they pass, which costs about as
much as parsing again (shared/PERFORMANCE.md). This walk reads the dataclass fields directly
and skips whitespace and punctuation, which never hold code.
"""

from __future__ import annotations

import dataclasses
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


def _is_node(value_type: type) -> bool:
    """``issubclass(value_type, cst.CSTNode)``, remembered: CSTNode is an ABC, and an
    ``isinstance`` check through ABCMeta costs more than the rest of a walk step."""
    known = _NODE_TYPES.get(value_type)
    if known is None:
        known = _NODE_TYPES[value_type] = issubclass(value_type, cst.CSTNode)
    return known


_NODE_TYPES: dict[type, bool] = {}
_SEQUENCES = (tuple, list)


def _children(current: cst.CSTNode) -> list[cst.CSTNode]:
    """The code-holding children of *current* in the order they are pushed on the walk's
    stack: field by field, a sequence's items reversed (so they come off in source order).
    Facts that keep the last of several assignments depend on this order."""
    found: list[cst.CSTNode] = []
    for name in _code_fields(type(current)):
        value = getattr(current, name)
        value_type = type(value)
        if value_type in _SEQUENCES:
            found.extend(item for item in reversed(value) if _is_node(type(item)))
        elif _is_node(value_type):
            found.append(value)
    return found


def walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Yield *node* and every node below it, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(_children(current))


_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def walk_skipping_scopes(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Like :func:`walk`, but does not enter nested function, class or lambda bodies."""
    yield node
    stack = _children(node)
    while stack:
        current = stack.pop()
        yield current
        if type(current) not in _SCOPES:
            stack.extend(_children(current))


def dotted_name(node: cst.CSTNode) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
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
