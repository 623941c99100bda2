"""Child side: import the user's definitions the same way in the saving and the reloading child."""
from __future__ import annotations

import importlib
import importlib.util
import sys
import types

from .stripping import module_location, strip_definitions


def load_definitions(path: str, mode: str = "strip") -> types.ModuleType:
    """Load the module defined by the file at `path` and register it in sys.modules.

    mode "strip" executes only the file's definitions (see stripping.py); "import" executes the
    whole file as an ordinary import. Parent packages, and modules imported from the file, are
    imported normally. Both modes give the module the name from `module_location`.
    """
    root, name = module_location(path)
    if root not in sys.path:
        sys.path.insert(0, root)
    if name in sys.modules:
        return sys.modules[name]
    package, _, _ = name.rpartition(".")
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
            code = compile(strip_definitions(source, path), path, "exec")
            exec(code, module.__dict__)  # noqa: S102 - running the user's definitions is the point
    except BaseException:
        sys.modules.pop(name, None)
        raise
    if package:
        setattr(sys.modules[package], name.rpartition(".")[2], module)
    return module


def load_named_modules(names: list[str], files: dict[str, str] | None = None) -> None:
    """Import modules by name (assert_roundtrip's reload); `files` maps names that cannot be
    imported by name (a script run as __main__) to their file, loaded in strip mode."""
    for name in names:
        if files and name in files:
            load_definitions(files[name], "strip")
        else:
            importlib.import_module(name)
