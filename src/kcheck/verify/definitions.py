"""Child side: import the user's definitions the same way in the saving and the reloading child."""
from __future__ import annotations
import __future__

import ast
import importlib
import importlib.util
import os
import sys
import types

from . import standins
from .stripping import IMPORT, module_location, strip_statements

# Names of the module attributes the loader leaves for the phases to read.
SKIPPED_ATTRIBUTE = "__kcheck_skipped__"


def load_definitions(path: str, mode: str = "strip") -> types.ModuleType:
    """Load the module defined by the file at `path` and register it in sys.modules.

    mode "strip" executes only the file's definitions (see stripping.py), one top-level
    statement at a time: an import of a module that is not installed binds a stand-in
    (standins.py), and a statement that raises is skipped with its error, recorded in the
    module's `__kcheck_skipped__` list as `(line, names, error)`. "import" executes the whole
    file as an ordinary import. Parent packages, and modules imported from the file, are imported
    normally. Both modes give the module the name from `module_location`.
    """
    root, name = module_location(path)
    if root not in sys.path:
        sys.path.insert(0, root)
    if name in sys.modules:
        return sys.modules[name]
    package, _, _ = name.rpartition(".")
    tree = os.path.join(root, name.split(".")[0]) if package else os.path.dirname(path)
    finder = standins.StandInFinder(path, root, tree) if mode == "strip" else None
    if finder is not None:
        sys.meta_path.append(finder)
    try:
        if package:
            importlib.import_module(package)
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None:
            raise ImportError(f"cannot load {path} as module {name}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            if mode == "import":
                spec.loader.exec_module(module)
            else:
                with open(path, encoding="utf-8") as handle:
                    source = handle.read()
                if finder is not None:
                    finder.own_statements = True
                run_stripped(source, path, module, root)
        except BaseException:
            sys.modules.pop(name, None)
            raise
    finally:
        if finder is not None:
            finder.close()
    if package:
        setattr(sys.modules[package], name.rpartition(".")[2], module)
    return module


def run_stripped(source: str, path: str, module: types.ModuleType, root: str) -> None:
    """Execute the stripped statements of `source` in `module`, one by one."""
    from .root_cause import describe

    skipped: list[tuple[int, list[str], str]] = []
    module.__dict__[SKIPPED_ATTRIBUTE] = skipped
    statements = strip_statements(source, path)
    flags = _future_flags(statements)
    for index, kept in enumerate(statements):
        node = kept.node
        if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            module.__doc__ = node.value.value
            continue
        code = compile(ast.Module(body=[node], type_ignores=[]), path, "exec", flags=flags,
                       dont_inherit=True)
        try:
            exec(code, module.__dict__)  # noqa: S102 - running the user's definitions is the point
        except ImportError as error:
            if kept.kind != IMPORT or not _bind_stand_ins(node, error, module, root):
                skipped.append((node.lineno, kept.names(), describe(error)))
        except Exception as error:  # noqa: BLE001 - one failing statement costs only itself
            skipped.append((node.lineno, kept.names(), describe(error)))


def _future_flags(statements) -> int:
    flags = 0
    for kept in statements:
        node = kept.node
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            for alias in node.names:
                feature = getattr(__future__, alias.name, None)
                if feature is not None:
                    flags |= feature.compiler_flag
    return flags


def _missing_is_local(error: ImportError, root: str) -> bool:
    """The module that could not be found would be a file of the checked tree (a typo, or a
    sibling that is missing): that is the user's bug, not an uninstalled dependency."""
    missing = getattr(error, "name", None) or ""
    if not missing:
        return False
    head = missing.split(".")[0]
    return os.path.exists(os.path.join(root, head + ".py")) or os.path.isdir(
        os.path.join(root, head))


def _bind_stand_ins(node: ast.stmt, error: ImportError, module, root: str) -> bool:
    """Bind what a failed `import`/`from ... import` would have bound to stand-ins (or to the
    real keras for TensorFlow's keras spellings). False when the failure is not a missing
    installed module."""
    if not isinstance(error, ModuleNotFoundError) or _missing_is_local(error, root):
        return False
    missing = error.name.split(".")[0] if error.name else ""
    names = module.__dict__
    if isinstance(node, ast.Import):
        for alias in node.names:
            if alias.asname:
                names[alias.asname] = standins.stand_in_for(alias.name, missing)
            else:
                top = alias.name.split(".")[0]
                names[top] = standins.stand_in_for(top, missing)
        return True
    if any(alias.name == "*" for alias in node.names):
        return False
    base = "." * node.level + (node.module or "")
    for alias in node.names:
        dotted = f"{base}.{alias.name}" if node.module else f"{base}{alias.name}"
        names[alias.asname or alias.name] = standins.stand_in_for(dotted, missing)
    return True


def load_named_modules(names: list[str], files: dict[str, str] | None = None) -> None:
    """Import modules by name (assert_roundtrip's reload); `files` maps names that cannot be
    imported by name (a script run as __main__) to their file, loaded in strip mode."""
    for name in names:
        if files and name in files:
            load_definitions(files[name], "strip")
        else:
            importlib.import_module(name)
