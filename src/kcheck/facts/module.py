"""Facts about one module: its imports, classes, methods, registrations and constructor calls.

Extraction looks only at the module's own text; what a base class *is* (Keras or not, in
another file or not) is decided later by :mod:`kcheck.facts.project`. Rules read only these facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from kcheck.facts.config_dict import ConfigFacts, read_get_config
from kcheck.facts.cst_walk import children_in_walk_order, dotted_name, walk_skipping_scopes
from kcheck.facts.imports import ImportTable


@dataclass
class Param:
    """One parameter of a function, ``self``/``cls`` excluded."""

    name: str
    kind: str  # positional-only | positional | keyword-only | var-positional | var-keyword
    default: cst.BaseExpression | None
    annotation: cst.BaseExpression | None
    node: cst.Param


@dataclass
class FunctionFacts:
    """A function or method and what its body does that matters for saving."""

    name: str
    node: cst.FunctionDef
    params: list[Param]
    decorators: list[str]
    calls: list[cst.Call] = field(default_factory=list)
    self_assignments: dict[str, cst.BaseExpression] = field(default_factory=dict)

    @property
    def is_classmethod(self) -> bool:
        return "classmethod" in self.decorators

    @property
    def is_staticmethod(self) -> bool:
        return "staticmethod" in self.decorators

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def called_names(self) -> set[str]:
        """Dotted names this body calls: ``self.inner``, ``fn``, ``keras.layers.Dense``."""
        names = set()
        for call in self.calls:
            name = dotted_name(call.func)
            if name is not None:
                names.add(name)
        return names


@dataclass
class ClassFacts:
    """A class defined at module level."""

    name: str
    node: cst.ClassDef
    bases: list[str]  # dotted names as written; unreadable bases become "?"
    decorators: list[cst.Decorator]
    methods: dict[str, FunctionFacts]
    _config: ConfigFacts | None = None

    def method(self, name: str) -> FunctionFacts | None:
        return self.methods.get(name)

    def config(self) -> ConfigFacts | None:
        """What this class's own get_config returns, if it defines one."""
        function = self.methods.get("get_config")
        if function is None:
            return None
        if self._config is None:
            self._config = read_get_config(function.node, frozenset(self.bases))
        return self._config


@dataclass(frozen=True)
class CallSite:
    """A call whose callee is a plain or dotted name, with where it happens."""

    callee: str
    node: cst.Call
    class_name: str | None  # enclosing module-level class, if any
    function_name: str | None  # enclosing function or method, if any


@dataclass
class ModuleFacts:
    """Everything kcheck reads from one module."""

    imports: ImportTable
    classes: dict[str, ClassFacts]
    functions: dict[str, FunctionFacts]
    constants: dict[str, cst.BaseExpression]
    calls: list[CallSite]
    # Assignments ``target[...] = value`` at any depth, for get_custom_objects()[...] = Cls.
    subscript_assignments: list[tuple[cst.Subscript, cst.BaseExpression]]
    # Dotted target -> the callee of each value assigned to it anywhere in the file, when read
    # from the whole file's ast (a partial tree lacks some bodies); None: read it from the tree.
    assignments: dict[str, list[str | None]] | None = None
    _calls_by_name: dict[str, list[CallSite]] | None = None

    def calls_named(self, name: str) -> list[CallSite]:
        """The calls whose callee's last part is *name* (``Block(...)``, ``pkg.Block(...)``):
        looking a class's constructor calls up for every class of a large module was
        quadratic."""
        if self._calls_by_name is None:
            self._calls_by_name = {}
            for site in self.calls:
                self._calls_by_name.setdefault(site.callee.rpartition(".")[2], []).append(site)
        return self._calls_by_name.get(name, [])


def _params(function: cst.FunctionDef, skip_first: bool) -> list[Param]:
    parameters = function.params
    collected: list[Param] = []
    for p in parameters.posonly_params:
        collected.append(Param(p.name.value, "positional-only", p.default, _annotation(p), p))
    for p in parameters.params:
        collected.append(Param(p.name.value, "positional", p.default, _annotation(p), p))
    if isinstance(parameters.star_arg, cst.Param):
        p = parameters.star_arg
        collected.append(Param(p.name.value, "var-positional", None, _annotation(p), p))
    for p in parameters.kwonly_params:
        collected.append(Param(p.name.value, "keyword-only", p.default, _annotation(p), p))
    if parameters.star_kwarg is not None:
        p = parameters.star_kwarg
        collected.append(Param(p.name.value, "var-keyword", None, _annotation(p), p))
    if skip_first and collected and collected[0].kind in ("positional-only", "positional"):
        collected = collected[1:]
    return collected


def _annotation(param: cst.Param) -> cst.BaseExpression | None:
    return param.annotation.annotation if param.annotation is not None else None


def _decorator_name(decorator: cst.Decorator) -> str:
    target = decorator.decorator
    if isinstance(target, cst.Call):
        target = target.func
    return dotted_name(target) or "?"


def _function_facts(node: cst.FunctionDef, is_method: bool) -> FunctionFacts:
    """The function's name, parameters and decorators; :func:`_scan` fills in its calls and
    self-assignments while it walks the module, so each body is walked once."""
    decorators = [_decorator_name(d) for d in node.decorators]
    skip_first = is_method and "staticmethod" not in decorators
    return FunctionFacts(node.name.value, node, _params(node, skip_first), decorators)


def _record_self_assignment(facts: FunctionFacts, target: cst.BaseExpression,
                            value: cst.BaseExpression) -> None:
    if (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)
            and target.value.value == "self"):
        facts.self_assignments[target.attr.value] = value
    elif isinstance(target, cst.Tuple) and isinstance(value, cst.Tuple):
        for t, v in zip(target.elements, value.elements):
            _record_self_assignment(facts, t.value, v.value)


def _class_facts(node: cst.ClassDef) -> ClassFacts:
    bases = [dotted_name(arg.value) or "?" for arg in node.bases if arg.keyword is None]
    methods: dict[str, FunctionFacts] = {}
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
    for statement in body:
        if isinstance(statement, cst.FunctionDef):
            methods[statement.name.value] = _function_facts(statement, is_method=True)
    return ClassFacts(node.name.value, node, bases, list(node.decorators), methods)


def _module_statements(body) -> list[cst.CSTNode]:
    """Module-level compound and simple statements, entering if/try/with blocks only."""
    found: list[cst.CSTNode] = []
    stack = list(reversed(body))
    while stack:
        statement = stack.pop()
        found.append(statement)
        if isinstance(statement, (cst.If, cst.Try, cst.With, cst.Else, cst.Finally,
                                  cst.ExceptHandler)):
            blocks = [statement.body]
            if isinstance(statement, cst.If) and statement.orelse is not None:
                blocks.append(statement.orelse)
            if isinstance(statement, cst.Try):
                blocks.extend(statement.handlers)
                if statement.orelse is not None:
                    blocks.append(statement.orelse)
                if statement.finalbody is not None:
                    blocks.append(statement.finalbody)
            children = []
            for block in blocks:
                if isinstance(block, (cst.If, cst.Else, cst.ExceptHandler, cst.Finally)):
                    children.append(block)
                elif isinstance(block, cst.IndentedBlock):
                    children.extend(block.body)
            stack.extend(reversed(children))
    return found


def extract_module(module: cst.Module) -> ModuleFacts:
    """Read one parsed module into :class:`ModuleFacts` in a single walk."""
    imports = ImportTable()
    classes: dict[str, ClassFacts] = {}
    functions: dict[str, FunctionFacts] = {}
    constants: dict[str, cst.BaseExpression] = {}
    bodies: dict[int, FunctionFacts] = {}  # id of a function's node -> the facts it fills
    for statement in _module_statements(module.body):
        if isinstance(statement, cst.ClassDef):
            cls = classes[statement.name.value] = _class_facts(statement)
            for method in cls.methods.values():
                bodies[id(method.node)] = method
        elif isinstance(statement, cst.FunctionDef):
            function = functions[statement.name.value] = _function_facts(statement, is_method=False)
            bodies[id(statement)] = function
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    imports.add(small)
                elif (isinstance(small, cst.Assign) and len(small.targets) == 1
                      and isinstance(small.targets[0].target, cst.Name)):
                    constants[small.targets[0].target.value] = small.value
    calls: list[CallSite] = []
    subscripts: list[tuple[cst.Subscript, cst.BaseExpression]] = []
    _scan(module, None, None, _Found(calls, subscripts, imports, bodies))
    return ModuleFacts(imports, classes, functions, constants, calls, subscripts)


@dataclass
class _Found:
    """What :func:`_scan` collects, and the functions whose bodies it fills in."""

    calls: list[CallSite]
    subscripts: list[tuple[cst.Subscript, cst.BaseExpression]]
    imports: ImportTable
    bodies: dict[int, FunctionFacts]


_SCANNED = frozenset({cst.FunctionDef, cst.ClassDef, cst.Call, cst.Assign, cst.AnnAssign,
                      cst.Import, cst.ImportFrom})


def _scan(root: cst.CSTNode, class_name: str | None, function_name: str | None,
          found: _Found, facts: FunctionFacts | None = None) -> None:
    """Collect calls and subscript assignments with their enclosing class and function; with
    *facts*, *root* is that function's body, and its calls and self-assignments go there too,
    in the order a walk of the body alone meets them."""
    for node in walk_skipping_scopes(root):
        kind = type(node)  # exact types: isinstance through libcst's ABCs is slow
        if kind not in _SCANNED:
            continue
        if kind is cst.FunctionDef and node is not root:
            # Part by part, in the walk's order, so that the body can fill its facts.
            body_facts = found.bodies.get(id(node))
            for part in children_in_walk_order(node):
                _scan(part, class_name, node.name.value, found,
                      body_facts if part is node.body else None)
        elif kind is cst.ClassDef and node is not root:
            nested_owner = node.name.value if class_name is None and function_name is None \
                else class_name
            _scan(node, nested_owner, function_name, found)
        elif kind is cst.Call:
            if facts is not None:
                facts.calls.append(node)
            callee = dotted_name(node.func)
            if callee is None and type(node.func) is cst.Call:
                # register_keras_serializable(...)(Cls): keep the outer call under the inner name
                callee = dotted_name(node.func.func)
                if callee is not None:
                    callee += "()"
            if callee is not None:
                found.calls.append(CallSite(callee, node, class_name, function_name))
        elif kind is cst.Assign:
            for target in node.targets:
                if facts is not None:
                    _record_self_assignment(facts, target.target, node.value)
                if type(target.target) is cst.Subscript:
                    found.subscripts.append((target.target, node.value))
        elif kind is cst.AnnAssign:
            if facts is not None and node.value is not None:
                _record_self_assignment(facts, node.target, node.value)
        elif (kind is cst.Import or kind is cst.ImportFrom) and function_name is not None:
            # Imports inside functions still tell what names mean there; one table is enough
            # for a linter, since shadowing a Keras name locally is rare.
            found.imports.add(node)
