"""Child side: stand-ins for modules a user's file imports but that are not installed.

A tutorial script imports matplotlib, tqdm or TensorFlow helpers it never needs to define its
layers. When such an import fails, the loader (definitions.py) binds a `StandIn` instead, so the
definitions that do not touch it load normally. Touching a stand-in in any way that needs a real
value (calling it, iterating, comparing, `isinstance`, subclassing, arithmetic, `str()`) raises
`NeedsModule` and is recorded; the phase's result is then turned into an inconclusive verdict
naming the module (`needs matplotlib, which is not installed`), whatever the code did with the
exception. So a stand-in can never stand for a real value in a verdict.

TensorFlow gets a special stand-in whose `keras` attribute is the real Keras namespace `tf.keras`
is in TensorFlow >= 2.16 (`keras._tf_keras.keras`): `tf.keras.layers.Layer`, `from tensorflow
import keras` and `from tensorflow.keras.layers import Dense` load
under any backend, and only real TensorFlow ops (`tf.nn.relu`, `tf.float32` used as a value)
make a verdict inconclusive. Stand-ins are never put in `sys.modules`: Keras itself asks there
whether TensorFlow is installed.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import sys
import types

# (module, what was done) for every use of a stand-in in this process since the last reset.
TOUCHED: list[tuple[str, str]] = []


class NeedsModule(RuntimeError):
    """A stand-in for a missing module was used as a real value."""


def reset() -> None:
    """Forget earlier uses (the import of the definitions is judged apart from the phase)."""
    TOUCHED.clear()


def touched_message() -> str | None:
    """`needs X, which is not installed (...)` when a stand-in was used, else None."""
    if not TOUCHED:
        return None
    modules = sorted({module for module, _ in TOUCHED})
    verb = "is" if len(modules) == 1 else "are"
    first_use = TOUCHED[0][1]
    return f"needs {', '.join(modules)}, which {verb} not installed ({first_use})"


def _use(stand_in: StandIn, what: str):
    module = object.__getattribute__(stand_in, "_kcheck_module")
    path = object.__getattribute__(stand_in, "_kcheck_path")
    TOUCHED.append((module, f"{path} {what}".strip()))
    raise NeedsModule(f"needs {module}, which is not installed ({path} {what})".strip())


class StandIn:
    """Any attribute of a missing module: attribute access gives deeper stand-ins; every other
    use raises NeedsModule and is recorded."""

    def __init__(self, module: str, path: str):
        object.__setattr__(self, "_kcheck_module", module)
        object.__setattr__(self, "_kcheck_path", path)

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # protocols probed by inspect, copy, pickle...
        path = object.__getattribute__(self, "_kcheck_path")
        module = object.__getattribute__(self, "_kcheck_module")
        return StandIn(module, f"{path}.{name}")

    def __repr__(self) -> str:
        return f"<stand-in for {object.__getattribute__(self, '_kcheck_path')}: not installed>"

    def __setattr__(self, name, value):
        _use(self, f"attribute {name} set")

    def __call__(self, *args, **kwargs):
        return _use(self, "called")

    def __mro_entries__(self, bases):
        return _use(self, "used as a base class")

    def __instancecheck__(self, instance):
        return _use(self, "used in isinstance()")

    def __subclasscheck__(self, subclass):
        return _use(self, "used in issubclass()")

    def __iter__(self):
        return _use(self, "iterated")

    def __len__(self):
        return _use(self, "measured with len()")

    def __bool__(self):
        return _use(self, "used as a truth value")

    def __str__(self):
        return _use(self, "converted to str")

    def __format__(self, spec):
        return _use(self, "formatted")

    def __index__(self):
        return _use(self, "used as an integer")

    def __int__(self):
        return _use(self, "used as an integer")

    def __float__(self):
        return _use(self, "used as a float")

    def __array__(self, *args, **kwargs):
        return _use(self, "used as an array")

    def __getitem__(self, key):
        return _use(self, "indexed")

    def __contains__(self, item):
        return _use(self, "searched with in")

    def __eq__(self, other):
        return _use(self, "compared")

    def __ne__(self, other):
        return _use(self, "compared")

    def __lt__(self, other):
        return _use(self, "compared")

    def __le__(self, other):
        return _use(self, "compared")

    def __gt__(self, other):
        return _use(self, "compared")

    def __ge__(self, other):
        return _use(self, "compared")

    __hash__ = object.__hash__  # a stand-in may sit in a dict or set untouched


def _arithmetic(name):
    def operator(self, *args):
        return _use(self, f"used in arithmetic ({name})")
    return operator


for _name in ("add", "sub", "mul", "matmul", "truediv", "floordiv", "mod", "pow", "and", "or",
              "xor", "lshift", "rshift"):
    setattr(StandIn, f"__{_name}__", _arithmetic(_name))
    setattr(StandIn, f"__r{_name}__", _arithmetic(_name))
for _name in ("neg", "pos", "abs", "invert"):
    setattr(StandIn, f"__{_name}__", _arithmetic(_name))


class TensorFlowStandIn(StandIn):
    """`tensorflow` without TensorFlow: `.keras` is the real keras, the rest are stand-ins."""

    def __getattr__(self, name: str):
        path = object.__getattribute__(self, "_kcheck_path")
        if name == "keras" and path == "tensorflow":
            return _tf_keras()
        return super().__getattr__(name)


def _tf_keras():
    """What `tf.keras` is in TensorFlow >= 2.16 with Keras 3 installed: keras's own
    `keras._tf_keras.keras` namespace (measured with TensorFlow 2.21: it has `utils.
    register_keras_serializable` but no `saving`), or keras itself in a layout without it."""
    try:
        return importlib.import_module("keras._tf_keras.keras")
    except ImportError:
        return importlib.import_module("keras")


def module_root(dotted: str) -> str:
    return dotted.split(".")[0]


def stand_in_for(dotted: str, missing: str = ""):
    """What `import <dotted>` should give when `missing` (the module Python could not find;
    default: the root of `dotted`) is not installed: the real keras object for
    `tensorflow.keras...` spellings, a stand-in otherwise."""
    missing = missing or module_root(dotted)
    if missing == "tensorflow":
        if dotted == "tensorflow":
            return TensorFlowStandIn("tensorflow", "tensorflow")
        for prefix in ("tensorflow.keras", "tensorflow.python.keras"):
            if dotted == prefix or dotted.startswith(prefix + "."):
                real = _real_keras(_tf_keras().__name__ + dotted[len(prefix):])
                if real is not None:
                    return real
    return StandIn(missing, dotted)


def _real_keras(dotted: str):
    """The keras module or attribute at `dotted` (`keras.layers.Dense`), or None."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            value = getattr(value, attribute, None)
            if value is None:
                return None
        return value
    return None


class StandInModule(types.ModuleType):
    """A module object for a missing module imported by a sibling or parent package of the
    checked file (through `StandInFinder`): its attributes are stand-ins."""

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if self.__name__ == "tensorflow" and name == "keras":
            return _tf_keras()
        return StandIn(self.__dict__.get("_kcheck_missing", module_root(self.__name__)),
                       f"{self.__name__}.{name}")


class _ExistingLoader(importlib.abc.Loader):
    def __init__(self, module):
        self.module = module

    def create_module(self, spec):
        return self.module

    def exec_module(self, module):
        pass


class StandInFinder(importlib.abc.MetaPathFinder):
    """Last on sys.meta_path while a checked file's definitions load: a module nothing else can
    find, imported by the file's parent packages or sibling modules (not by the file itself,
    whose own imports are handled statement by statement), becomes a StandInModule, and
    `tensorflow.keras...` the real keras. `close()` takes every module it served out of
    sys.modules again, so Keras never sees a stand-in TensorFlow."""

    def __init__(self, own_file: str, root: str, tree: str):
        self.own_file = os.path.abspath(own_file)
        self.root = root
        # Only imports made by files under `tree` (the checked file's top package, or the
        # script's folder) are served: Keras and the standard library probe for optional
        # modules (`_winapi`, ...) and must get their ImportError.
        self.tree = os.path.join(os.path.abspath(tree), "")
        self.served: list[str] = []
        # True while the file's own stripped statements run: their imports are bound
        # statement by statement (definitions.py), so their try/except ImportError still works.
        self.own_statements = False

    def find_spec(self, fullname, path=None, target=None):
        top = module_root(fullname)
        if top not in {module_root(name) for name in self.served}:
            if path is not None or self._local(top):
                return None
            importer, line = self._importer()
            if importer is None or not importer.startswith(self.tree) or (
                    self.own_statements and importer == self.own_file) or \
                    _guarded(importer, line):
                return None
        if fullname in sys.modules:
            return None
        if top == "tensorflow" and fullname != "tensorflow":
            module = stand_in_for(fullname, "tensorflow")
            if not isinstance(module, types.ModuleType):
                module = StandInModule(fullname)
                module.__path__ = []
        else:
            module = StandInModule(fullname)
            module.__path__ = []  # a package, so `import missing.sub` reaches this finder
        self.served.append(fullname)
        return importlib.util.spec_from_loader(fullname, _ExistingLoader(module))

    def _local(self, top: str) -> bool:
        return os.path.exists(os.path.join(self.root, top + ".py")) or os.path.isdir(
            os.path.join(self.root, top))

    @staticmethod
    def _importer() -> tuple[str | None, int]:
        """The file and line of the import statement being run (skipping importlib's frames)."""
        frame = sys._getframe(2)
        while frame is not None and (frame.f_code.co_filename.startswith("<frozen") or
                                     "importlib" in frame.f_code.co_filename):
            frame = frame.f_back
        if frame is None:
            return None, 0
        return os.path.abspath(frame.f_code.co_filename), frame.f_lineno

    def close(self) -> None:
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        for name in self.served:
            sys.modules.pop(name, None)


_GUARDED: dict[str, list[tuple[int, int]]] = {}
_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _guarded(filename: str, line: int) -> bool:
    """The import at `line` sits in a `try:` whose handlers catch ImportError: the file copes
    with the module being absent, so it gets the real ImportError, not a stand-in."""
    import ast

    if filename not in _GUARDED:
        ranges = []
        try:
            with open(filename, encoding="utf-8") as handle:
                tree = ast.parse(handle.read())
        except (OSError, SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
            tree = None
        for node in ast.walk(tree) if tree is not None else ():
            if isinstance(node, ast.Try) and any(_catches_import_error(h.type)
                                                 for h in node.handlers):
                ranges.append((node.body[0].lineno, node.body[-1].end_lineno or 0))
        _GUARDED[filename] = ranges
    return any(start <= line <= end for start, end in _GUARDED[filename])


def _catches_import_error(handler) -> bool:
    import ast

    if handler is None:
        return True
    names = handler.elts if isinstance(handler, ast.Tuple) else [handler]
    return any((n.id if isinstance(n, ast.Name) else getattr(n, "attr", "")) in _IMPORT_ERRORS
               for n in names)
