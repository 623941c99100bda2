"""Reduce a user's file to its definitions, so verifying a class never runs their script.

Kept: the module docstring, imports, function and class definitions, assignments of simple
values (literals and expressions over names kept before, plus calls into numpy/keras/math that
do not load, fit or download anything), Keras registration calls at top level
(`get_custom_objects().update(...)`, `get_custom_objects()[k] = v`,
`register_keras_serializable(...)(Cls)`), and `try:` / `if` blocks (with a call-free test that
does not mention `__name__`) whose bodies are stripped the same way. Everything else is dropped:
training loops, `model.fit(...)`, prints, `if __name__ == "__main__":`.
"""
from __future__ import annotations

import ast
import builtins
import os
import sys

# Calls allowed in a kept assignment: harmless type constructors...
SAFE_BUILTIN_CALLS = frozenset(
    {"dict", "list", "tuple", "set", "frozenset", "int", "float", "str", "bool", "range", "len",
     "min", "max", "abs", "round", "sorted", "getattr", "object"}
)
# ...and library calls rooted at these imported modules, unless the attribute chain says the
# call reads, trains or downloads something.
SAFE_CALL_ROOTS = frozenset({"np", "numpy", "keras", "tf", "tensorflow", "math", "jnp", "ops"})
UNSAFE_CALL_WORDS = ("load", "read", "fit", "train", "dataset", "download", "save", "predict",
                     "evaluate", "open", "get_file", "summary", "plot")

REGISTRATION_FUNCTIONS = frozenset({"get_custom_objects", "register_keras_serializable"})


def strip_definitions(source: str, filename: str = "<user code>") -> ast.Module:
    """Parse `source` and return a module AST holding only its definitions (see module doc).

    Line numbers are preserved, so tracebacks from the stripped module point at the user's file.
    """
    tree = ast.parse(source, filename=filename)
    known = set(dir(builtins)) | {"__name__", "__file__", "__doc__", "__package__", "__spec__"}
    body = _strip_block(tree.body, known, top=True)
    # Blocks emptied by stripping get a `pass` with no position; borrow the parent's.
    return ast.fix_missing_locations(ast.Module(body=body, type_ignores=[]))


def stripped_source(source: str) -> str:
    """The stripped module as Python text (for debugging and the docs)."""
    return ast.unparse(strip_definitions(source))


def _strip_block(statements: list[ast.stmt], known: set[str], top: bool = False) -> list[ast.stmt]:
    kept: list[ast.stmt] = []
    for index, node in enumerate(statements):
        if top and index == 0 and _is_docstring(node):
            kept.append(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            kept.append(node)
            for alias in node.names:
                if alias.name != "*":
                    known.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            kept.append(node)
            known.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            if _keep_assignment(node, known):
                kept.append(node)
        elif isinstance(node, ast.Expr):
            if _is_registration_call(node.value):
                kept.append(node)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            kept.append(_strip_try(node, known))
        elif isinstance(node, ast.If):
            if (_is_simple(node.test, known, allow_calls=False)
                    and not _mentions(node.test, "__name__")):
                node.body = _strip_block(node.body, known) or [ast.Pass()]
                node.orelse = _strip_block(node.orelse, known)
                kept.append(node)
        elif isinstance(node, (ast.Pass, ast.Global, ast.Nonlocal)):
            kept.append(node)
    return kept


def _strip_try(node: ast.stmt, known: set[str]) -> ast.stmt:
    node.body = _strip_block(node.body, known) or [ast.Pass()]
    for handler in node.handlers:
        if handler.name:
            known.add(handler.name)
        handler.body = _strip_block(handler.body, known) or [ast.Pass()]
    node.orelse = _strip_block(node.orelse, known)
    node.finalbody = _strip_block(node.finalbody, known)
    return node


def _is_docstring(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str))


def _keep_assignment(node: ast.stmt, known: set[str]) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    value = node.value
    if value is None:  # a bare annotation `x: int` runs nothing
        return True
    # `get_custom_objects()["Name"] = Cls` and `Cls = register_keras_serializable()(Cls)`
    # register classes: they are definitions in effect.
    registration = _is_registration_call(value) or any(
        isinstance(t, ast.Subscript) and _is_registration_call(t.value) for t in targets)
    if not registration:
        if not all(_is_name_target(t) for t in targets):
            return False
        if isinstance(node, ast.AugAssign) and not _is_simple(node.target, known, True):
            return False
        if not _is_simple(value, known, allow_calls=True):
            return False
    for target in targets:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                known.add(sub.id)
    return True


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


def _is_registration_call(value: ast.expr) -> bool:
    """True for expressions that involve calling a Keras registration function."""
    return any(isinstance(sub, ast.Call) and _call_name(sub.func) in REGISTRATION_FUNCTIONS
               for sub in ast.walk(value))


def _attribute_chain(func: ast.expr) -> list[str]:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
        return parts[::-1]
    return []


def _is_safe_call(call: ast.Call, known: set[str]) -> bool:
    if isinstance(call.func, ast.Name):
        return call.func.id in SAFE_BUILTIN_CALLS and call.func.id not in known - set(dir(builtins))
    chain = _attribute_chain(call.func)
    if not chain or chain[0] not in SAFE_CALL_ROOTS or chain[0] not in known:
        return False
    return not any(word in part.lower() for part in chain[1:] for word in UNSAFE_CALL_WORDS)


def _is_simple(expr: ast.expr, known: set[str], allow_calls: bool) -> bool:
    """True when evaluating `expr` cannot run user code or touch the outside world."""
    for sub in ast.walk(expr):
        if isinstance(sub, ast.Lambda):
            continue  # defining a lambda runs nothing; its body is checked only when called
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load) and sub.id not in known:
            if not _inside_lambda(expr, sub):
                return False
        if isinstance(sub, ast.Call):
            if not allow_calls or not _is_safe_call(sub, known):
                if not _inside_lambda(expr, sub):
                    return False
        if isinstance(sub, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr, ast.ListComp,
                            ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return False
    return True


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
