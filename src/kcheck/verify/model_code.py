"""Parent side: read how a module's own code uses a class, to build and feed it the same way.

Three things come out of the module's source (plain `ast`, nothing is run here):

- **examples**: every constructor call of the class, wherever it is written (module level, in a
  function, in a method), with the names it uses resolved: a local variable becomes the value
  assigned to it before the call, a parameter its default or the argument a call site of the
  function passes, a loop variable the first element of a literal sequence. Module-level names
  are left alone when strip mode keeps them as simple constants; otherwise their value is
  substituted too.
- **inputs**: what the module feeds the class: `Cls(...)(x)` or `block = Cls(...)` then
  `block(x, y)`, where `x` resolves to `keras.Input(shape=...)`, a layer applied to one, a list
  or a dict of them. Each becomes an expression for the tuple of positional arguments, evaluated
  in the child; the symbolic tensors it gives say the shapes and dtypes to feed.
- **builders**: module functions that build and return a model containing the class
  (`create_model()`, `get_model(input_shape, n)`), with their required arguments filled from a
  call site in the module or from module constants of the same name, for verifying the class in
  the context of the user's own model.

Every expression is checked to call nothing but known-pure functions, Keras, classes defined in
the module and layers applied to tensors (builders aside, which are the user's functions by
design and run only in the child).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .stripping import CONSTANT, canonical, import_table, is_pure_call, strip_statements

MAX_DEPTH = 8
MAX_ITEMS = 6
# Calls that would train, read data or write files: never in an expression the child evaluates
# to feed or build a class, and a function that makes them is not a model builder.
BUSY_WORDS = ("fit", "train", "load", "read", "download", "save", "predict", "evaluate", "open",
              "get_file", "plot", "show", "summary", "dataset", "print", "write", "remove",
              "rmtree", "system", "popen", "run")
BUILDER_WORDS = ("model", "net", "network", "build", "create", "make", "get", "construct")


@dataclass(frozen=True)
class ModuleUsage:
    """What a module's own code says about building and feeding one class."""

    examples: tuple[tuple[str, str], ...] = ()  # (expression, where it was written)
    inputs: tuple[str, ...] = ()
    builders: tuple[str, ...] = ()


@dataclass
class _Scope:
    """A module or a function body: its assignments and parameters, by name."""

    name: str | None  # None for the module
    node: ast.AST
    parent: _Scope | None = None
    assignments: dict[str, list[tuple[int, ast.expr]]] = field(default_factory=dict)
    parameters: dict[str, ast.expr | None] = field(default_factory=dict)
    in_class: bool = False


class _Unresolvable(Exception):
    pass


def class_usage(source: str, class_name: str, filename: str = "<module>") -> ModuleUsage:
    """Examples, inputs and builders for `class_name` from `source` (never raises on bad
    input: an unparsable module gives an empty usage)."""
    return module_usage_reader(source, filename)(class_name)


def module_usage_reader(source: str, filename: str = "<module>"):
    """A function from class name to its ModuleUsage in `source`, reading the module once for
    every class asked about (never raises on bad input)."""
    try:
        reader = _ModuleReader(source, filename)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return lambda class_name: ModuleUsage()

    def usage(class_name: str) -> ModuleUsage:
        try:
            return reader.usage(class_name)
        except RecursionError:
            return ModuleUsage()

    return usage


class _ModuleReader:
    def __init__(self, source: str, filename: str):
        self.tree = ast.parse(source, filename=filename)
        self.filename = filename.replace("\\", "/").rsplit("/", 1)[-1]
        self.imports = import_table(self.tree)
        try:
            kept = strip_statements(source, filename)
        except (SyntaxError, ValueError):
            kept = []
        self.constants = {name for statement in kept if statement.kind == CONSTANT
                          for name in statement.names()}
        self.module_scope = _Scope(None, self.tree)
        self.scopes: dict[ast.AST, _Scope] = {}
        self.functions: dict[str, ast.FunctionDef] = {}
        self.classes = {n.name for n in self.tree.body if isinstance(n, ast.ClassDef)}
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self._collect(self.tree.body, self.module_scope)

    # -- scopes -------------------------------------------------------------------------------

    def _collect(self, body: list[ast.stmt], scope: _Scope) -> None:
        for node in body:
            self._collect_statement(node, scope)

    def _collect_statement(self, node: ast.stmt, scope: _Scope) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner = _Scope(node.name, node, scope, in_class=isinstance(scope.node, ast.ClassDef))
            self.scopes[node] = inner
            if scope is self.module_scope:
                self.functions[node.name] = node
            args = node.args
            positional = [*args.posonlyargs, *args.args]
            defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
            for arg, default in zip(positional, defaults):
                inner.parameters[arg.arg] = default
            for arg, default in zip(args.kwonlyargs, args.kw_defaults):
                inner.parameters[arg.arg] = default
            self._collect(node.body, inner)
            return
        if isinstance(node, ast.ClassDef):
            class_scope = _Scope(node.name, node, scope)
            self.scopes[node] = class_scope
            self._collect(node.body, class_scope)
            return
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    scope.assignments.setdefault(target.id, []).append((node.lineno, node.value))
        if isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name) and \
                isinstance(node.iter, (ast.List, ast.Tuple)) and node.iter.elts:
            scope.assignments.setdefault(node.target.id, []).append(
                (node.lineno, node.iter.elts[0]))
        if isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name) and \
                isinstance(node.iter, ast.Call) and _call_name(node.iter.func) == "range":
            scope.assignments.setdefault(node.target.id, []).append(
                (node.lineno, ast.Constant(0)))
        for name in ("body", "orelse", "finalbody"):
            self._collect(getattr(node, name, []) or [], scope)
        for handler in getattr(node, "handlers", []) or []:
            self._collect(handler.body, scope)
        if isinstance(node, ast.Match):
            for case in node.cases:
                self._collect(case.body, scope)

    def scope_of(self, node: ast.AST) -> _Scope:
        current = self.parents.get(node)
        while current is not None:
            if current in self.scopes:
                return self.scopes[current]
            current = self.parents.get(current)
        return self.module_scope

    # -- resolution ---------------------------------------------------------------------------

    def resolve(self, expr: ast.expr, scope: _Scope, line: int, depth: int = 0) -> ast.expr:
        """`expr` with the names of `scope` replaced by their values (see module doc)."""
        if depth > MAX_DEPTH:
            raise _Unresolvable("too deep")
        reader = self

        class Substitute(ast.NodeTransformer):
            def visit_Lambda(self, node):
                return node  # its names are its own

            def visit_Name(self, node):
                if not isinstance(node.ctx, ast.Load):
                    return node
                return reader.value_of(node.id, scope, line, depth)

            def visit_Attribute(self, node):
                if isinstance(node.value, ast.Name) and node.value.id == "self":
                    raise _Unresolvable("self")
                return self.generic_visit(node)

        copied = ast.parse(ast.unparse(expr), mode="eval").body
        return Substitute().visit(copied)

    def value_of(self, name: str, scope: _Scope, line: int, depth: int) -> ast.expr:
        if scope.name is not None:
            if name in scope.assignments:
                before = [(n, v) for n, v in scope.assignments[name] if n < line]
                if before:
                    at, value = before[-1]
                    return self.resolve(value, scope, at, depth + 1)
            if name in scope.parameters:
                default = scope.parameters[name]
                if default is not None:
                    return self.resolve(default, self.module_scope, 10**9, depth + 1)
                return self.argument_from_call_sites(scope, name, depth)
            if scope.parent is not None and scope.parent.name is not None and \
                    not isinstance(scope.parent.node, ast.ClassDef):
                return self.value_of(name, scope.parent, 10**9, depth + 1)
        return self.module_value(name, line, depth)

    def module_value(self, name: str, line: int, depth: int) -> ast.expr:
        if name in self.constants or name in self.imports or name in self.classes or \
                name in self.functions:
            return ast.Name(name, ast.Load())
        assigned = self.module_scope.assignments.get(name)
        if assigned:
            before = [(n, v) for n, v in assigned if n < line] or assigned
            at, value = before[-1]
            return self.resolve(value, self.module_scope, at, depth + 1)
        return ast.Name(name, ast.Load())  # builtins, or names the child will report

    def argument_from_call_sites(self, scope: _Scope, name: str, depth: int) -> ast.expr:
        function = scope.node
        if scope.in_class or scope.parent is not self.module_scope:
            raise _Unresolvable(name)
        positional = [a.arg for a in [*function.args.posonlyargs, *function.args.args]]
        for call in self.calls_of(function.name):
            value = None
            for keyword in call.keywords:
                if keyword.arg == name:
                    value = keyword.value
            if value is None and name in positional:
                index = positional.index(name)
                if index < len(call.args) and not any(isinstance(a, ast.Starred)
                                                      for a in call.args[:index + 1]):
                    value = call.args[index]
            if value is None:
                continue
            try:
                return self.resolve(value, self.scope_of(call), call.lineno, depth + 1)
            except _Unresolvable:
                continue
        raise _Unresolvable(name)

    def calls_of(self, function_name: str) -> list[ast.Call]:
        return [node for node in ast.walk(self.tree) if isinstance(node, ast.Call) and
                isinstance(node.func, ast.Name) and node.func.id == function_name]

    # -- safety -------------------------------------------------------------------------------

    def evaluable(self, expr: ast.expr) -> bool:
        """Calls only known-pure functions, Keras, the module's classes, and layers applied to
        tensors; mentions no stand-in-prone names beyond attribute access."""
        for node in ast.walk(expr):
            if isinstance(node, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
                return False
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Call):
                continue  # a layer applied to a tensor: the inner call is checked on its own
            if isinstance(func, ast.Name) and func.id in self.classes:
                continue
            if is_pure_call(node, self.imports, set()):
                continue
            name = _qualified(func, self.imports)
            if name and name.split(".")[0] == "keras" and not _busy(name):
                continue
            return False
        return True

    # -- the three answers --------------------------------------------------------------------

    def usage(self, class_name: str) -> ModuleUsage:
        constructions = [node for node in ast.walk(self.tree) if isinstance(node, ast.Call)
                         and self.constructs(node, class_name)]
        constructions.sort(key=lambda n: (n.lineno, n.col_offset))
        examples, seen = [], set()
        for call in constructions:
            scope = self.scope_of(call)
            try:
                resolved = self.resolve(call, scope, call.lineno)
            except (_Unresolvable, RecursionError):
                continue
            text = ast.unparse(resolved)
            if text in seen or not self.evaluable(resolved) or len(text) > 2000:
                continue
            seen.add(text)
            where = "module level" if scope.name is None else f"in {scope.name}()"
            examples.append((text, f"call site {self.filename}:{call.lineno} ({where})"))
        inputs = self.inputs(constructions)
        builders = self.builders(class_name)
        return ModuleUsage(tuple(examples[:MAX_ITEMS]), tuple(inputs[:MAX_ITEMS]),
                           tuple(builders[:MAX_ITEMS]))

    def constructs(self, call: ast.Call, class_name: str) -> bool:
        func = call.func
        if isinstance(func, ast.Name):
            return func.id == class_name
        return isinstance(func, ast.Attribute) and func.attr == class_name

    def inputs(self, constructions: list[ast.Call]) -> list[str]:
        applications = []
        for construction in constructions:
            parent = self.parents.get(construction)
            if isinstance(parent, ast.Call) and parent.func is construction:
                applications.append(parent)
                continue
            if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and \
                    isinstance(parent.targets[0], ast.Name):
                applications.extend(self.applications_of(parent.targets[0].id, parent))
            applications.extend(self.sequential_inputs(construction))
        out, seen = [], set()
        for item in applications:
            if isinstance(item, str):
                text = item
            else:
                if not item.args or any(isinstance(a, ast.Starred) for a in item.args):
                    continue
                try:
                    resolved = [self.resolve(a, self.scope_of(item), item.lineno)
                                for a in item.args]
                except (_Unresolvable, RecursionError):
                    continue
                packed = ast.Tuple(elts=resolved, ctx=ast.Load())
                if not self.evaluable(packed) or not _mentions_input(packed):
                    continue
                text = ast.unparse(packed)
            if text not in seen and len(text) <= 4000:
                seen.add(text)
                out.append(text)
        return out

    def applications_of(self, name: str, assignment: ast.Assign) -> list[ast.Call]:
        scope = self.scope_of(assignment)
        found = []
        for node in ast.walk(scope.node):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id == name and node.lineno > assignment.lineno and \
                    self.scope_of(node) is scope:
                found.append(node)
        return found

    def sequential_inputs(self, construction: ast.Call) -> list[str]:
        """`keras.Sequential([keras.Input(shape=S), L1, ..., Cls(...)])`: the layers before the
        class applied to the input."""
        parent = self.parents.get(construction)
        if not isinstance(parent, ast.List):
            return []
        holder = self.parents.get(parent)
        if not (isinstance(holder, ast.Call) and holder.args and holder.args[0] is parent):
            return []
        name = _qualified(holder.func, self.imports)
        if name not in ("keras.Sequential", "keras.models.Sequential"):
            return []
        before = parent.elts[:parent.elts.index(construction)]
        if not before:
            return []
        first, rest = before[0], before[1:]
        if isinstance(first, ast.Call) and _qualified(first.func, self.imports) in (
                "keras.Input", "keras.layers.Input", "keras.layers.InputLayer"):
            tensor = first if _call_name(first.func) == "Input" else None
            if tensor is None:
                shape = next((k.value for k in first.keywords if k.arg in ("shape",
                                                                            "input_shape")),
                             None)
                if shape is None:
                    return []
                tensor = ast.parse(f"keras.Input(shape={ast.unparse(shape)})",
                                   mode="eval").body
        else:
            shape = next((k.value for k in getattr(first, "keywords", []) if k.arg ==
                          "input_shape"), None)
            if shape is None:
                return []
            tensor = ast.parse(f"keras.Input(shape={ast.unparse(shape)})", mode="eval").body
            rest = before
        expr = tensor
        for layer in rest:
            expr = ast.Call(func=layer, args=[expr], keywords=[])
        try:
            resolved = self.resolve(ast.Tuple(elts=[expr], ctx=ast.Load()),
                                    self.scope_of(construction), construction.lineno)
        except (_Unresolvable, RecursionError):
            return []
        if not self.evaluable(resolved):
            return []
        return [ast.unparse(resolved)]

    def builders(self, class_name: str) -> list[str]:
        direct = {name for name, function in self.functions.items()
                  if any(isinstance(n, ast.Call) and self.constructs(n, class_name)
                         for n in ast.walk(function))}
        # Functions that call a function that constructs the class (a `block()` helper).
        callers = {name for name, function in self.functions.items()
                   if any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                          and n.func.id in direct for n in ast.walk(function))}
        out = []
        for name in sorted(direct | callers, key=_builder_rank):
            function = self.functions[name]
            if not _returns_value(function) or _busy_function(function, name):
                continue
            call = self.builder_call(function)
            if call is not None:
                out.append(call)
        return out

    def builder_call(self, function: ast.FunctionDef) -> str | None:
        """`name(arguments)` with every required parameter filled, or None."""
        scope = self.scopes[function]
        required = [n for n, default in scope.parameters.items() if default is None]
        arguments = []
        for name in required:
            try:
                value = self.argument_from_call_sites(scope, name, 0)
            except (_Unresolvable, RecursionError):
                if name in self.constants:
                    value = ast.Name(name, ast.Load())
                else:
                    return None
            if not self.evaluable(value):
                return None
            arguments.append(f"{name}={ast.unparse(value)}")
        return f"{function.name}({', '.join(arguments)})"


def _qualified(func: ast.expr, imports: dict[str, str]) -> str | None:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or func.id not in imports:
        return None
    return canonical(".".join([imports[func.id], *reversed(parts)]))


def _busy(name: str) -> bool:
    return any(word in part.lower() for part in name.split(".")[1:] for word in BUSY_WORDS)


def _busy_function(function: ast.FunctionDef, name: str) -> bool:
    if any(word in name.lower() for word in ("train", "fit", "main", "run", "evaluate", "plot",
                                              "load", "download", "predict", "test")):
        return True
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            callee = _call_name(node.func)
            if callee in ("fit", "fit_generator", "train_on_batch", "evaluate", "predict",
                          "save", "save_weights", "load_weights", "load_data", "get_file",
                          "show", "savefig", "system", "urlretrieve", "download"):
                return True
            if isinstance(node.func, ast.Name) and callee in ("open", "exec", "eval"):
                return True
        if isinstance(node, (ast.For, ast.While)) and any(
                isinstance(n, ast.Call) and _call_name(n.func) in ("fit", "train_step",
                                                                    "apply_gradients")
                for n in ast.walk(node)):
            return True
    return False


def _builder_rank(name: str) -> tuple[int, str]:
    lowered = name.lower()
    return (0 if any(word in lowered for word in BUILDER_WORDS) else 1, name)


def _returns_value(function: ast.FunctionDef) -> bool:
    return any(isinstance(n, ast.Return) and n.value is not None for n in ast.walk(function))


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _mentions_input(expr: ast.expr) -> bool:
    return any(isinstance(n, ast.Call) and _call_name(n.func) in ("Input", "InputLayer")
               for n in ast.walk(expr))
