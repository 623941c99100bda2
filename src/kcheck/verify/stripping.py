"""Reduce a user's file to its definitions, so verifying a class never runs their script.

Kept: the module docstring, imports, function and class definitions, assignments of *simple
constants*, Keras registrations at top level, and `try:` / `if` blocks (with a call-free test that
does not mention `__name__`) whose bodies are stripped the same way. Everything else is dropped:
training loops, `model.fit(...)`, prints, `if __name__ == "__main__":`.

A simple constant is built only from literals, names kept before, attributes, subscripts,
arithmetic, comparisons, containers and lambdas; the only calls allowed are the known-pure ones
listed in `PURE_CALLS` (see `is_pure_call`), resolved through the file's own imports, so
`import shutil as np` cannot smuggle `np.rmtree(...)` in. docs/verify.md lists them.
"""
from __future__ import annotations

import ast
import builtins
import os
import sys
from dataclasses import dataclass

# Builtins that compute a value from their arguments and cannot reach user code when those
# arguments are themselves simple constants (no `key=` functions, no getattr).
PURE_BUILTINS = frozenset(
    {"dict", "list", "tuple", "set", "frozenset", "int", "float", "str", "bool", "range",
     "len", "abs", "round", "pow", "divmod", "complex", "bytes", "min", "max", "sum"}
)
# Keras namespaces whose CapWords members are built-in classes: constructing one (a Dense, an
# initializer, a learning-rate schedule) allocates an object and runs nothing of the user's.
# Functions there (deserialize, get, ...) may look up registered user classes: not pure.
PURE_KERAS_CLASS_NAMESPACES = frozenset(
    {"keras", "keras.layers", "keras.initializers", "keras.regularizers", "keras.constraints",
     "keras.optimizers", "keras.optimizers.schedules", "keras.losses", "keras.metrics",
     "keras.activations", "keras.models"}
)
# ...except those that read files when constructed.
IMPURE_KERAS_CLASSES = frozenset({"keras.layers.TFSMLayer"})
PURE_KERAS_FUNCTIONS = frozenset({"keras.Input", "keras.layers.Input"})
PURE_NUMPY = frozenset(
    {"array", "asarray", "zeros", "ones", "full", "arange", "linspace", "eye", "sqrt", "log",
     "log2", "log10", "exp", "power", "prod", "float16", "float32", "float64", "int8", "int16",
     "int32", "int64", "uint8", "dtype"}
)
PURE_OS_PATH = frozenset({"join", "dirname", "basename", "splitext", "normpath"})
# What a reader sees in docs/verify.md.
PURE_CALLS = (
    "builtins: " + ", ".join(sorted(PURE_BUILTINS)) + " (without key=)",
    "math.* functions",
    "numpy: " + ", ".join(f"np.{name}" for name in sorted(PURE_NUMPY)),
    "os.path: " + ", ".join(f"os.path.{name}" for name in sorted(PURE_OS_PATH)),
    "Keras classes (a CapWords name) in " + ", ".join(sorted(PURE_KERAS_CLASS_NAMESPACES))
    + " (not keras.layers.TFSMLayer, which reads a SavedModel), and keras.Input",
)

REGISTRATION_FUNCTIONS = frozenset({"get_custom_objects", "register_keras_serializable"})

# Statement kinds, so the loader knows what a failure means (see definitions.py).
CONSTANT, IMPORT, DEFINITION, REGISTRATION, BLOCK, OTHER = (
    "constant", "import", "definition", "registration", "block", "other")


@dataclass
class KeptStatement:
    """One top-level statement of the stripped module, and what it is."""

    node: ast.stmt
    kind: str

    def names(self) -> list[str]:
        """The names this statement binds (for messages about a skipped statement)."""
        node = self.node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return [node.name]
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            return [a.asname or a.name.split(".")[0] for a in node.names]
        targets = node.targets if isinstance(node, ast.Assign) else \
            [getattr(node, "target", None)]
        return [sub.id for t in targets if t is not None for sub in ast.walk(t)
                if isinstance(sub, ast.Name)]


def strip_definitions(source: str, filename: str = "<user code>") -> ast.Module:
    """Parse `source` and return a module AST holding only its definitions (see module doc).

    Line numbers are preserved, so tracebacks from the stripped module point at the user's file.
    """
    return ast.Module(body=[kept.node for kept in strip_statements(source, filename)],
                      type_ignores=[])


def strip_statements(source: str, filename: str = "<user code>") -> list[KeptStatement]:
    """The kept top-level statements, each with its kind, in file order."""
    tree = ast.parse(source, filename=filename)
    stripper = _Stripper()
    kept = stripper.block(tree.body, top=True)
    for statement in kept:
        ast.fix_missing_locations(statement.node)
    return kept


def stripped_source(source: str) -> str:
    """The stripped module as Python text (for debugging and the docs)."""
    return ast.unparse(strip_definitions(source))


def import_table(tree: ast.AST) -> dict[str, str]:
    """Local name -> dotted name it was imported as, for every import in `tree` (last wins)."""
    table: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _record_import(node, table)
    return table


def _record_import(node: ast.stmt, table: dict[str, str]) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                table[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                table[top] = top
    elif node.module and not node.level:
        for alias in node.names:
            if alias.name != "*":
                table[alias.asname or alias.name] = f"{node.module}.{alias.name}"


def canonical(dotted: str) -> str:
    """`tensorflow.keras.layers.Dense` and `tf_keras.layers.Dense` -> `keras.layers.Dense`;
    `keras.src.layers...` stays as it is."""
    for prefix in ("tensorflow.keras", "tensorflow.python.keras", "tf_keras"):
        if dotted == prefix or dotted.startswith(prefix + "."):
            return "keras" + dotted[len(prefix):]
    return dotted


def qualified_name(func: ast.expr, imports: dict[str, str]) -> str | None:
    """The dotted name a call's callee refers to, through the file's imports; None when the
    callee is not a plain name or attribute chain, or its root was not imported."""
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    root = imports.get(func.id)
    if root is None:
        return None
    return canonical(".".join([root, *reversed(parts)]))


def is_pure_call(call: ast.Call, imports: dict[str, str], shadowed: set[str]) -> bool:
    """True for a call on the known-pure list (module doc, docs/verify.md)."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in PURE_BUILTINS and func.id not in imports \
            and func.id not in shadowed:
        return not any(k.arg == "key" for k in call.keywords)
    name = qualified_name(func, imports)
    if name is None:
        return False
    head, _, last = name.rpartition(".")
    if name in PURE_KERAS_FUNCTIONS:
        return True
    if head in PURE_KERAS_CLASS_NAMESPACES and last[:1].isupper():
        return name not in IMPURE_KERAS_CLASSES
    if head == "math":
        return True
    if head == "numpy" and last in PURE_NUMPY:
        return True
    return head == "os.path" and last in PURE_OS_PATH


class _Stripper:
    def __init__(self):
        self.known = set(dir(builtins)) | {"__name__", "__file__", "__doc__", "__package__",
                                           "__spec__"}
        self.imports: dict[str, str] = {}
        # Module-level names that hide a builtin (`len = ...`, `def max(...)`): calling them is
        # calling user code.
        self.shadowed: set[str] = set()

    def block(self, statements: list[ast.stmt], top: bool = False) -> list[KeptStatement]:
        kept: list[KeptStatement] = []
        for index, node in enumerate(statements):
            kind = self.classify(node, top and index == 0)
            if kind is not None:
                kept.append(KeptStatement(node, kind))
        return kept

    def body(self, statements: list[ast.stmt]) -> list[ast.stmt]:
        return [kept.node for kept in self.block(statements)]

    def classify(self, node: ast.stmt, first: bool) -> str | None:
        if first and _is_docstring(node):
            return OTHER
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            _record_import(node, self.imports)
            for alias in node.names:
                if alias.name != "*":
                    self.known.add(alias.asname or alias.name.split(".")[0])
            return IMPORT
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.bind(node.name)
            return DEFINITION
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            return self.assignment(node)
        if isinstance(node, ast.Expr):
            return REGISTRATION if self.is_registration_statement(node.value) else None
        if isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.strip_try(node)
            return BLOCK
        if isinstance(node, ast.If):
            if self.is_simple(node.test, allow_calls=False) and not _mentions(node.test,
                                                                               "__name__"):
                node.body = self.body(node.body) or [ast.Pass()]
                node.orelse = self.body(node.orelse)
                return BLOCK
            return None
        if isinstance(node, (ast.Pass, ast.Global, ast.Nonlocal)):
            return OTHER
        return None

    def bind(self, name: str) -> None:
        self.known.add(name)
        if name in PURE_BUILTINS:
            self.shadowed.add(name)

    def strip_try(self, node: ast.stmt) -> None:
        node.body = self.body(node.body) or [ast.Pass()]
        for handler in node.handlers:
            if handler.name:
                self.known.add(handler.name)
            handler.body = self.body(handler.body) or [ast.Pass()]
        node.orelse = self.body(node.orelse)
        node.finalbody = self.body(node.finalbody)

    def assignment(self, node: ast.stmt) -> str | None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if value is None:  # a bare annotation `x: int` runs nothing
            return OTHER
        if self.is_registration_assignment(targets, value):
            kind = REGISTRATION
        else:
            if not all(_is_name_target(t) for t in targets):
                return None
            if isinstance(node, ast.AugAssign) and not self.is_simple(node.target, True):
                return None
            if not self.is_simple(value, allow_calls=True):
                return None
            kind = CONSTANT
        for target in targets:
            for sub in ast.walk(target):
                if isinstance(sub, ast.Name):
                    self.bind(sub.id)
        return kind

    def is_registration_statement(self, value: ast.expr) -> bool:
        """`get_custom_objects().update({...})` or `register_keras_serializable(...)(Cls)`."""
        if not isinstance(value, ast.Call):
            return False
        func = value.func
        if isinstance(func, ast.Attribute) and func.attr == "update" and \
                self.is_registry(func.value):
            return len(value.args) <= 1 and all(
                self.is_simple(a, allow_calls=True) for a in [*value.args, *value.keywords])
        return self.is_register_call(value)

    def is_registration_assignment(self, targets: list[ast.expr], value: ast.expr) -> bool:
        if all(isinstance(t, ast.Subscript) and self.is_registry(t.value) for t in targets):
            return self.is_simple(value, allow_calls=True) and all(
                self.is_simple(t.slice, allow_calls=False) for t in targets)
        return all(isinstance(t, ast.Name) for t in targets) and (
            self.is_register_call(value) or self.is_register_factory(value))

    def is_register_factory(self, value: ast.expr) -> bool:
        """`register_keras_serializable(<literals>)`: a decorator kept under a short name."""
        return isinstance(value, ast.Call) and \
            _call_name(value.func) == "register_keras_serializable" and all(
                isinstance(a, ast.Constant) for a in value.args) and all(
                isinstance(k.value, ast.Constant) for k in value.keywords)

    def is_registry(self, expr: ast.expr) -> bool:
        """`get_custom_objects()` (any spelling of the function), with no arguments."""
        return isinstance(expr, ast.Call) and not expr.args and not expr.keywords and \
            _call_name(expr.func) == "get_custom_objects"

    def is_register_call(self, value: ast.expr) -> bool:
        """`register_keras_serializable(<literals>)(Name)`."""
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Call)):
            return False
        return self.is_register_factory(value.func) and len(value.args) == 1 and \
            not value.keywords and self.is_simple(value.args[0], allow_calls=False)

    def is_simple(self, expr: ast.expr, allow_calls: bool) -> bool:
        """True when evaluating `expr` cannot run user code or touch the outside world."""
        for sub in ast.walk(expr):
            if isinstance(sub, ast.Lambda):
                continue  # defining a lambda runs nothing; its body is checked only when called
            if _inside_lambda(expr, sub):
                continue
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and \
                    sub.id not in self.known:
                return False
            if isinstance(sub, ast.Call) and not (
                    allow_calls and is_pure_call(sub, self.imports, self.shadowed)):
                return False
            if isinstance(sub, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr, ast.ListComp,
                                ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.JoinedStr)):
                # f-strings call __format__ on whatever they hold
                return False
        return True


def _is_docstring(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _is_name_target(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return True
    if isinstance(target, (ast.Tuple, ast.List)):
        return all(_is_name_target(t) for t in target.elts)
    if isinstance(target, ast.Starred):
        return _is_name_target(target.value)
    return False


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _inside_lambda(root: ast.expr, target: ast.AST) -> bool:
    for sub in ast.walk(root):
        if isinstance(sub, ast.Lambda) and any(n is target for n in ast.walk(sub.body)):
            return True
    return False


def _mentions(expr: ast.expr, name: str) -> bool:
    return any(isinstance(sub, ast.Name) and sub.id == name for sub in ast.walk(expr))


def module_location(path: str) -> tuple[str, str]:
    """Return (sys.path entry, module name) under which the file at `path` is loaded.

    A file inside a package (folders with `__init__.py`) is loaded as its dotted name with the
    package root's parent on sys.path, so relative imports work. A lone script `dir/x.py` is
    loaded as module `x` with `dir` on sys.path; if `x` would shadow a standard-library or
    already-imported module, it is named `kcheck_user_x` instead. The save and the reload
    children compute the same name, so the `module` Keras records for the class matches.
    """
    path = os.path.abspath(path)
    folder, filename = os.path.split(path)
    stem = filename[:-3] if filename.endswith(".py") else filename
    parts = [] if stem == "__init__" else [stem]
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        folder, package = os.path.split(folder)
        parts.insert(0, package)
    if len(parts) == 1 and _shadows(parts[0]):
        parts[0] = "kcheck_user_" + parts[0]
    return folder, ".".join(parts)


def _shadows(name: str) -> bool:
    stdlib = getattr(sys, "stdlib_module_names", frozenset())
    return name in stdlib or name in sys.builtin_module_names or name in {
        "keras", "numpy", "jax", "kcheck", "tensorflow", "np", "ml_dtypes", "scipy"}
