"""Code a fix adds to a class or a function: new methods, new statements, new dict entries.

New code is written as text in the module's own indentation and newline, parsed with the
module's parser settings, and inserted as nodes, so libcst prints it in the file's style.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from kcheck.fixes.edits import Edit


def indent_block(lines: Sequence[str], indent: str, depth: int = 1) -> str:
    """*lines* of a block body joined with *depth* levels of *indent*, newline-terminated."""
    return "".join(f"{indent * depth}{line}\n" if line else "\n" for line in lines)


def parse_statements(tree: cst.Module, source: str) -> list[cst.BaseStatement]:
    """Top-level statements of *source*, parsed as part of *tree* (its indent, newline)."""
    source = source.replace("\n", tree.default_newline)
    module = cst.parse_module(source, config=tree.config_for_parsing)
    return list(module.body)


def method_source(tree: cst.Module, header: Sequence[str], body: Sequence[str]) -> str:
    """``def ...:`` (after decorators in *header*) with *body*, in the module's indentation."""
    indent = tree.default_indent
    return "".join(f"{line}\n" for line in header) + indent_block(body, indent)


def append_to_class(cls_node: cst.ClassDef, statements: Sequence[cst.BaseStatement]) -> Edit | None:
    """An edit that adds *statements* at the end of the class body, one blank line before
    each; None for a one-line class body (``class A(Layer): pass``)."""
    body = cls_node.body
    if not isinstance(body, cst.IndentedBlock):
        return None
    spaced = [s.with_changes(leading_lines=[cst.EmptyLine(indent=False)]) for s in statements]

    def rewrite(node: cst.IndentedBlock) -> cst.IndentedBlock:
        return node.with_changes(body=[*node.body, *spaced])

    return Edit(body, rewrite, span=body, at="end")


def insert_at_start(function: cst.FunctionDef,
                    statements: Sequence[cst.BaseStatement]) -> Edit | None:
    """An edit that puts *statements* first in *function*'s body (after a docstring)."""
    body = function.body
    if not isinstance(body, cst.IndentedBlock) or not body.body:
        return None
    first = body.body[0]
    skip = 1 if (isinstance(first, cst.SimpleStatementLine) and len(first.body) == 1
                 and isinstance(first.body[0], cst.Expr)
                 and isinstance(first.body[0].value, (cst.SimpleString,
                                                       cst.ConcatenatedString))) else 0
    anchor = body.body[skip] if skip < len(body.body) else first

    def rewrite(node: cst.IndentedBlock) -> cst.IndentedBlock:
        return node.with_changes(body=[*node.body[:skip], *statements, *node.body[skip:]])

    return Edit(body, rewrite, span=anchor, at="start")


def insert_before(block: cst.IndentedBlock, anchor: cst.BaseStatement,
                  statements: Sequence[cst.BaseStatement]) -> Edit:
    """An edit that puts *statements* right before *anchor*, a statement of *block*."""
    index = next(i for i, s in enumerate(block.body) if s is anchor)

    def rewrite(node: cst.IndentedBlock) -> cst.IndentedBlock:
        return node.with_changes(body=[*node.body[:index], *statements, *node.body[index:]])

    return Edit(block, rewrite, span=anchor, at="start")


def add_dict_entry(dictionary: cst.Dict, entry_source: str) -> Edit:
    """An edit that appends ``"key": value`` to a dict display, keeping its layout: one entry
    per line stays one entry per line, a trailing comma stays."""
    element = cst.parse_expression("{" + entry_source + "}").elements[0]

    def rewrite(node: cst.Dict) -> cst.Dict:
        elements = list(node.elements)
        if not elements:
            return node.with_changes(elements=[element])
        last = elements[-1]
        comma = last.comma
        if isinstance(comma, cst.Comma):
            # a trailing comma: the new entry goes after it, in the same layout
            new = element.with_changes(comma=comma)
            previous = elements[-2].comma if len(elements) > 1 else None
            if isinstance(previous, cst.Comma):
                elements[-1] = last.with_changes(comma=previous)
            else:
                elements[-1] = last.with_changes(comma=comma)
            return node.with_changes(elements=[*elements, new])
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        if len(elements) > 1 and isinstance(elements[-2].comma, cst.Comma):
            separator = elements[-2].comma
        elements[-1] = last.with_changes(comma=separator)
        return node.with_changes(elements=[*elements, element])

    return Edit(dictionary, rewrite, span=dictionary, at="end")
