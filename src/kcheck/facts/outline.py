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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from kcheck.facts.imports import ImportTable, Qualified
from kcheck.facts.module import ClassFacts, FunctionFacts, ModuleFacts
from kcheck.sources.parsing import COMPOUND_STATEMENTS

DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef)  # function definitions, async or not
_DEF_KINDS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_BLOCKS = (ast.If, ast.Try, ast.With, ast.AsyncWith)


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
    # The imports inside functions, in the walk's order (not the one read_outline adds them
    # in); None when the walk cannot tell some import's place (after a function nested in a
    # module-level block or class body, it may be inside that function or after it).
    function_imports: list[ast.Import | ast.ImportFrom] | None = field(default_factory=list)


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
    """Node type -> (a getter of its fields worth visiting, last first, since the walk's stack
    reverses them; whether there is just one, which the getter then returns alone). Anything
    that is not an AST node (None among a dict's keys, a pattern's constant) has none."""

    def __missing__(self, kind: type) -> tuple[attrgetter | None, bool]:
        fields = tuple(reversed([name for name in kind._fields if name not in _LEAF_FIELDS])) \
            if issubclass(kind, ast.AST) else ()
        found = self[kind] = (attrgetter(*fields) if fields else None, len(fields) == 1)
        return found


_CHILD_FIELDS = _ChildFields()


def scan_module(tree: ast.Module) -> ModuleScan:
    """Walk *tree* once (the walk is most of the cheap pass's cost) and collect a ModuleScan.
    Each unit's nodes are met in source order: parents first, fields in order, lists in
    order. Names, constants and ``a.b.c`` chains down to a name hold nothing the scan
    records, so they are passed over without being pushed where that is cheap to see."""
    scan = ModuleScan()
    for statement in tree.body:
        if type(statement) is ast.ClassDef:  # its members are walked as units
            _record_definition(scan, statement)
    child_fields = _CHILD_FIELDS
    name_kind, constant_kind, attribute_kind, call_kind = ast.Name, ast.Constant, \
        ast.Attribute, ast.Call
    assign_kind, annotated_kind, keyword_kind = ast.Assign, ast.AnnAssign, ast.keyword
    import_kind, import_from_kind = ast.Import, ast.ImportFrom
    def_kinds = _DEF_KINDS
    add_registration = scan.registration_names.add
    function_kinds = (ast.FunctionDef, ast.AsyncFunctionDef)
    function_imports = scan.function_imports
    for root, is_unit in _units(tree):
        in_function = is_unit  # False: no function met yet in this root (so none around)
        calls: list[ast.Call] = []
        add_call = calls.append
        unit = id(root) if is_unit else 0
        stack: list[ast.AST] = [root]
        pop, push, push_all = stack.pop, stack.append, stack.extend
        while stack:
            node = pop()
            kind = type(node)
            if kind is name_kind or kind is constant_kind:
                continue
            if kind is attribute_kind:  # only its value can hold a node worth visiting
                value = node.value
                while type(value) is attribute_kind:
                    value = value.value
                if type(value) is not name_kind:
                    push(value)
                continue
            if kind is call_kind:
                add_call(node)
                func = node.func
                func_kind = type(func)
                if func_kind is call_kind:
                    name = ast_dotted_name(func.func)
                    if name is not None:
                        add_registration(name)
                keywords = node.keywords
                if keywords:
                    push_all(reversed(keywords))
                for argument in reversed(node.args):
                    value_kind = type(argument)
                    if value_kind is not name_kind and value_kind is not constant_kind:
                        push(argument)
                if func_kind is attribute_kind:  # as for an attribute below
                    func = func.value
                    while type(func) is attribute_kind:
                        func = func.value
                    if type(func) is not name_kind:
                        push(func)
                elif func_kind is not name_kind:
                    push(func)
                continue
            if kind is keyword_kind:
                value = node.value
                value_kind = type(value)
                if value_kind is not name_kind and value_kind is not constant_kind:
                    push(value)
                continue
            if kind is assign_kind:
                _record_assignment(scan, node, unit)
                value = node.value
                value_kind = type(value)
                if value_kind is not name_kind and value_kind is not constant_kind:
                    push(value)  # met after the targets
                for target in reversed(node.targets):
                    if type(target) is not name_kind:
                        push(target)
                continue
            if kind is annotated_kind:
                _record_assignment(scan, node, unit)
            elif kind in def_kinds:
                _record_definition(scan, node)
                if kind in function_kinds:
                    in_function = True
            elif kind is import_kind or kind is import_from_kind:
                if is_unit:
                    if function_imports is not None:
                        function_imports.append(node)
                elif in_function:
                    function_imports = None
                continue
            fields, single = child_fields[kind]
            if fields is None:
                continue
            for value in (fields(node),) if single else fields(node):
                value_kind = type(value)
                if value_kind is list:
                    push_all(reversed(value))
                elif value_kind is not name_kind and value_kind is not constant_kind and \
                        value is not None:
                    push(value)
        if is_unit:
            scan.unit_calls[unit] = calls
        else:
            scan.other_calls.extend(calls)
    scan.function_imports = function_imports
    return scan


def calls_inside(node: ast.AST) -> Iterator[ast.Call]:
    """The calls in *node* and in the nodes inside it, in no particular order (the same set
    as ``ast.walk`` finds, without visiting names, constants and operators)."""
    child_fields = _CHILD_FIELDS
    stack = [node]
    pop, push, push_all = stack.pop, stack.append, stack.extend
    call_kind = ast.Call
    while stack:
        inner = pop()
        kind = type(inner)
        if kind is call_kind:
            yield inner
        fields, single = child_fields[kind]
        if fields is None:
            continue
        for value in (fields(inner),) if single else fields(inner):
            if type(value) is list:
                push_all(value)
            elif value is not None:
                push(value)


def _record_definition(scan: ModuleScan, node: ast.AST) -> None:
    scan.definitions.setdefault(node.name, []).append(node)
    for decorator in node.decorator_list:
        target = decorator.func if type(decorator) is ast.Call else decorator
        name = ast_dotted_name(target)
        if name is not None:
            scan.registration_names.add(name)


def _record_assignment(scan: ModuleScan, node: ast.Assign | ast.AnnAssign, unit: int) -> None:
    value = node.value
    if value is None:
        return
    callee = ast_dotted_name(value.func) if type(value) is ast.Call else None
    assignments = scan.assignments
    for target in node.targets if type(node) is ast.Assign else (node.target,):
        kind = type(target)
        if kind is ast.Name:  # the usual target, without ast_dotted_name's loop
            name = target.id
        else:
            if kind is ast.Subscript and type(target.value) is ast.Call:
                scan.subscript_units.add(unit)
            name = ast_dotted_name(target)
            if name is None:
                continue
        found = assignments.get(name)
        if found is None:
            assignments[name] = [callee]
        else:
            found.append(callee)


def _function_imports(statements: list[ast.stmt], in_function: bool = False
                      ) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports inside functions (at any depth), in the order extract_module adds them to the
    module's table after the module-level ones, since the last binding of a name wins there.
    That order is its walk's: statements in source order, but inside a compound statement
    the later parts first (``else:`` before the ``if`` body; ``finally``, ``else`` and the
    handlers before the ``try`` body). Only statements are visited: no expression holds one.
    """
    import_kind, import_from_kind = ast.Import, ast.ImportFrom
    function_kinds = (ast.FunctionDef, ast.AsyncFunctionDef)
    blocks_of = _BLOCKS_IN_WALK_ORDER
    stack = [(iter(statements), in_function)]
    while stack:
        statements_left, inside = stack[-1]
        for statement in statements_left:
            kind = type(statement)
            blocks = blocks_of.get(kind)
            if blocks is None:
                if inside and (kind is import_kind or kind is import_from_kind):
                    yield statement
                continue
            inner = inside or kind in function_kinds
            # its blocks first, then on from the statement after it
            stack.extend((iter(block), inner) for block in reversed(blocks(statement)) if block)
            break
        else:
            stack.pop()


def _try_blocks(statement: ast.Try) -> list[list[ast.stmt]]:
    return [statement.finalbody, statement.orelse,
            *[handler.body for handler in statement.handlers], statement.body]


def _case_blocks(statement: ast.Match) -> list[list[ast.stmt]]:
    return [case.body for case in statement.cases]


def _blocks_getter(kind: type) -> Callable[[ast.stmt], Sequence[list[ast.stmt]]]:
    """What gives the statement lists inside a compound statement of *kind*, in the order
    kcheck's libcst walk reaches them (its fields last to first)."""
    if "handlers" in kind._fields:  # try, try/except*
        return _try_blocks
    if "cases" in kind._fields:
        return _case_blocks
    if "orelse" in kind._fields:  # if, for, while
        return attrgetter("orelse", "body")
    return lambda statement: (statement.body,)


# Compound statement kind -> what gives the statement lists inside one; every other statement
# holds none.
_BLOCKS_IN_WALK_ORDER = {kind: _blocks_getter(kind) for kind in COMPOUND_STATEMENTS}


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


def read_outline(tree: ast.Module,
                 function_imports: list[ast.Import | ast.ImportFrom] | None = None
                 ) -> ModuleFacts:
    """The names *tree* defines and imports, as :class:`ModuleFacts` without libcst nodes:
    classes carry their bases and the names of their methods, functions their names; nothing
    else is filled in. *function_imports* are the imports inside its functions in any order
    (:attr:`ModuleScan.function_imports`), when the caller has them: used when no two of them
    bind the same name (then the order in which they are added cannot matter)."""
    imports = ImportTable()
    classes: dict[str, ClassFacts] = {}
    functions: dict[str, FunctionFacts] = {}
    for statement in module_statements(tree.body):
        kind = type(statement)
        if kind is ast.ClassDef:
            bases = [_base_name(base) for base in statement.bases]
            methods = {member.name: FunctionFacts(member.name, None, [], [])
                       for member in statement.body if type(member) in _FUNCTION_KINDS}
            classes[statement.name] = ClassFacts(statement.name, None, bases, [], methods)
        elif kind in _FUNCTION_KINDS:
            functions[statement.name] = FunctionFacts(statement.name, None, [], [])
        elif kind is ast.Import or kind is ast.ImportFrom:
            add_import(imports, statement)
    if function_imports is None or not _bind_apart(function_imports):
        function_imports = _function_imports(tree.body)
    for statement in function_imports:
        add_import(imports, statement)
    return ModuleFacts(imports, classes, functions, {}, [], [])


_FUNCTION_KINDS = frozenset(DEFINITIONS)


def _bind_apart(statements: list[ast.Import | ast.ImportFrom]) -> bool:
    """No two of *statements* bind the same name (nor does a ``*`` import end the adding)."""
    table = ImportTable()
    count = 0
    for statement in statements:
        for alias in statement.names:
            if alias.name == "*":
                return False
        add_import(table, statement)
        count += len(statement.names)
    return len(table.bindings) == count
