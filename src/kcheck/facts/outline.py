"""What a module names, read from CPython's ``ast`` instead of libcst: the cheap pass.

Turning a file into libcst nodes costs about ten times CPython's own parse
(shared/PERFORMANCE.md), and most of a large tree is code no rule reads. An *outline* holds just
what :class:`kcheck.facts.project.Project` needs to decide what a name is — the import table,
the classes with their bases, the functions — read exactly as :func:`kcheck.facts.module
.extract_module` reads them from libcst, so a project of outlines resolves every name and every
base class the same way as a project of full modules. :mod:`kcheck.facts.relevance` uses it to
choose which parts of a file are worth giving to libcst.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

from kcheck.facts.imports import ImportTable, Qualified
from kcheck.facts.module import ClassFacts, FunctionFacts, ModuleFacts
from kcheck.sources.parsing import COMPOUND_STATEMENTS

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)  # function definitions, async or not
_DEF_KINDS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_BLOCKS = (ast.If, ast.Try, ast.With, ast.AsyncWith)
_COMPOUND = frozenset(COMPOUND_STATEMENTS)  # the others cannot hold an import


def ast_dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None (as cst_walk.dotted_name)."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def module_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, entering if/try/with blocks only, in the order
    ``extract_module`` visits them (a later definition of a name wins there too)."""
    stack = list(reversed(body))
    while stack:
        statement = stack.pop()
        yield statement
        if isinstance(statement, _BLOCKS):
            children = list(statement.body)
            if isinstance(statement, ast.Try):
                for handler in statement.handlers:
                    children.extend(handler.body)
            children.extend(getattr(statement, "orelse", ()))
            children.extend(getattr(statement, "finalbody", ()))
            stack.extend(reversed(children))


def add_import(table: ImportTable, statement: ast.Import | ast.ImportFrom) -> None:
    """:meth:`ImportTable.add` for an ``ast`` import statement."""
    if isinstance(statement, ast.Import):
        for alias in statement.names:
            if alias.asname is not None:
                table.bindings[alias.asname] = Qualified(alias.name)
            else:
                top = alias.name.split(".")[0]
                table.bindings[top] = Qualified(top)
        return
    module = statement.module or ""
    for alias in statement.names:
        if alias.name == "*":
            return
        local = alias.asname or alias.name
        target = f"{module}.{alias.name}" if module else alias.name
        table.bindings[local] = Qualified(target, statement.level or 0)


def _base_name(node: ast.expr) -> str:
    if isinstance(node, ast.Starred):  # class C(*bases): libcst keeps the name, the star apart
        node = node.value
    return ast_dotted_name(node) or "?"


@dataclass
class ModuleScan:
    """What one walk over a module's ast collects for the cheap pass."""

    # Dotted target -> for every value assigned to it anywhere in the module, the dotted name
    # of the function it calls (None when the value is not such a call); save_calls reads it.
    assignments: dict[str, list[str | None]] = field(default_factory=dict)
    # Dotted names used as decorators, and ``f`` of every ``f(...)(obj)``.
    registration_names: set[str] = field(default_factory=set)
    # id(unit) -> the calls inside it; a unit is a module-level function or a method of a
    # module-level class (kcheck.facts.relevance hollows units).
    unit_calls: dict[int, list[ast.Call]] = field(default_factory=dict)
    # ids of the units holding ``call(...)[key] = value`` (get_custom_objects()[name] = obj);
    # 0 stands for the code outside units.
    subscript_units: set[int] = field(default_factory=set)
    # The calls outside units: module-level statements, class bodies, bases and decorators.
    other_calls: list[ast.Call] = field(default_factory=list)
    # Every function and class definition, at any depth, by name.
    definitions: dict[str, list[ast.AST]] = field(default_factory=dict)


def _units(tree: ast.Module) -> Iterator[tuple[ast.AST, bool]]:
    """(node, is_unit) covering the module once: units, and the other module-level code."""
    for statement in tree.body:
        if isinstance(statement, DEFINITIONS):
            yield statement, True
        elif isinstance(statement, ast.ClassDef):
            for item in (*statement.bases, *statement.keywords, *statement.decorator_list):
                yield item, False
            for member in statement.body:
                yield member, isinstance(member, DEFINITIONS)
        else:
            yield statement, False


# Fields that never hold a node worth visiting: names and constants are leaves, ``ctx``
# (Load/Store) and operators are AST nodes of their own with nothing inside.
_LEAF_FIELDS = frozenset({"ctx", "id", "attr", "arg", "kind", "type_comment", "name", "module",
                          "level", "asname", "conversion", "is_async", "simple", "names", "op",
                          "ops", "type_ignores"})


class _ChildFields(dict):
    """Node type -> its fields worth visiting, last first (the walk's stack reverses them).
    Anything that is not an AST node (None among a dict's keys, a pattern's constant) has
    none."""

    def __missing__(self, kind: type) -> tuple[str, ...]:
        fields = tuple(reversed([name for name in kind._fields if name not in _LEAF_FIELDS])) \
            if issubclass(kind, ast.AST) else ()
        self[kind] = fields
        return fields


_CHILD_FIELDS = _ChildFields()


def scan_module(tree: ast.Module) -> ModuleScan:
    """Walk *tree* once (the walk is most of the cheap pass's cost) and collect a ModuleScan.
    Each unit's nodes are met in source order: parents first, fields in order, lists in
    order."""
    scan = ModuleScan()
    for statement in tree.body:
        if type(statement) is ast.ClassDef:  # its members are walked as units
            _record_definition(scan, statement)
    child_fields = _CHILD_FIELDS
    for root, is_unit in _units(tree):
        calls: list[ast.Call] = []
        stack: list[ast.AST] = [root]
        pop, push, push_all = stack.pop, stack.append, stack.extend
        while stack:
            node = pop()
            kind = type(node)
            if kind is ast.Call:
                calls.append(node)
                if type(node.func) is ast.Call:
                    name = ast_dotted_name(node.func.func)
                    if name is not None:
                        scan.registration_names.add(name)
            elif kind is ast.Name or kind is ast.Constant:
                continue
            elif kind is ast.Assign or kind is ast.AnnAssign:
                _record_assignment(scan, node, id(root) if is_unit else 0)
            elif kind in _DEF_KINDS:
                _record_definition(scan, node)
            elif kind is ast.Import or kind is ast.ImportFrom:
                continue
            for name in child_fields[kind]:
                value = getattr(node, name, None)
                if type(value) is list:
                    push_all(reversed(value))
                elif value is not None:
                    push(value)
        if is_unit:
            scan.unit_calls[id(root)] = calls
        else:
            scan.other_calls.extend(calls)
    return scan


def _record_definition(scan: ModuleScan, node: ast.AST) -> None:
    scan.definitions.setdefault(node.name, []).append(node)
    for decorator in node.decorator_list:
        target = decorator.func if type(decorator) is ast.Call else decorator
        name = ast_dotted_name(target)
        if name is not None:
            scan.registration_names.add(name)


def _record_assignment(scan: ModuleScan, node: ast.Assign | ast.AnnAssign, unit: int) -> None:
    targets = node.targets if type(node) is ast.Assign else [node.target]
    value = node.value
    if value is None:
        return
    callee = ast_dotted_name(value.func) if type(value) is ast.Call else None
    for target in targets:
        if type(target) is ast.Subscript and type(target.value) is ast.Call:
            scan.subscript_units.add(unit)
        name = ast_dotted_name(target)
        if name is not None:
            scan.assignments.setdefault(name, []).append(callee)


def _function_imports(statements: list[ast.stmt], in_function: bool = False
                      ) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports inside functions (at any depth), in the order extract_module adds them to the
    module's table after the module-level ones, since the last binding of a name wins there.
    That order is its walk's: statements in source order, but inside a compound statement
    the later parts first (``else:`` before the ``if`` body; ``finally``, ``else`` and the
    handlers before the ``try`` body). Only statements are visited: no expression holds one.
    """
    stack = [(iter(statements), in_function)]
    while stack:
        statements_left, inside = stack[-1]
        for statement in statements_left:
            kind = type(statement)
            if kind is ast.Import or kind is ast.ImportFrom:
                if inside:
                    yield statement
            elif kind in _COMPOUND:
                inner = inside or kind is ast.FunctionDef or kind is ast.AsyncFunctionDef
                blocks = _blocks_in_walk_order(statement)
                stack.append((itertools.chain.from_iterable(blocks), inner))
                break  # its blocks first, then on from the statement after it
        else:
            stack.pop()


def _blocks_in_walk_order(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists inside *statement*, in the order kcheck's libcst walk reaches
    them (its fields last to first)."""
    blocks: list[list[ast.stmt]] = []
    for name in ("finalbody", "orelse"):
        block = getattr(statement, name, None)
        if block:
            blocks.append(block)
    blocks.extend(handler.body for handler in getattr(statement, "handlers", ()))
    blocks.extend(case.body for case in getattr(statement, "cases", ()))
    body = getattr(statement, "body", None)
    if isinstance(body, list):
        blocks.append(body)
    return blocks


def definition_lines(tree: ast.Module) -> dict[str, tuple[int, int] | None]:
    """Name -> (first line, decorators included; last line) of the definition of each class
    and function that the outline names (the last one of a name, as there), or None when it is
    indented under an ``if``/``try``/``with`` and so cannot be read on its own."""
    found: dict[str, tuple[int, int] | None] = {}
    for statement in module_statements(tree.body):
        if isinstance(statement, (*DEFINITIONS, ast.ClassDef)):
            first = statement.decorator_list[0].lineno if statement.decorator_list \
                else statement.lineno
            found[statement.name] = (first, statement.end_lineno) \
                if statement.col_offset == 0 else None
    return found


def read_outline(tree: ast.Module) -> ModuleFacts:
    """The names *tree* defines and imports, as :class:`ModuleFacts` without libcst nodes:
    classes carry their bases and the names of their methods, functions their names; nothing
    else is filled in."""
    imports = ImportTable()
    classes: dict[str, ClassFacts] = {}
    functions: dict[str, FunctionFacts] = {}
    for statement in module_statements(tree.body):
        if isinstance(statement, ast.ClassDef):
            bases = [_base_name(base) for base in statement.bases]
            methods = {member.name: FunctionFacts(member.name, None, [], [])
                       for member in statement.body if isinstance(member, DEFINITIONS)}
            classes[statement.name] = ClassFacts(statement.name, None, bases, [], methods)
        elif isinstance(statement, DEFINITIONS):
            functions[statement.name] = FunctionFacts(statement.name, None, [], [])
        elif isinstance(statement, (ast.Import, ast.ImportFrom)):
            add_import(imports, statement)
    for statement in _function_imports(tree.body):
        add_import(imports, statement)
    return ModuleFacts(imports, classes, functions, {}, [], [])
