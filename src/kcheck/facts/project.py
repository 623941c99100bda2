"""Modules of the checked tree and what their names mean across files.

A :class:`Project` parses a module the first time anything asks for it, so a class whose base
lives in another file of the tree (``from .base import ResidualBase``) sees that base's methods,
whether kcheck was started on the whole tree or flake8 hands it one file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.imports import Qualified
from kcheck.facts.module import ClassFacts, FunctionFacts, ModuleFacts, extract_module
from kcheck.sources.parsing import ParseFailure, parse_module
from kcheck.sources.python import SourceError, read_source

_MAX_DEPTH = 12  # re-exports and base chains deeper than this are treated as unknown
_INSTALLED_ROOTS = frozenset({"site-packages", "dist-packages"})


@dataclass
class ModuleInfo:
    """One parsed module of the tree."""

    path: Path
    name: str  # dotted module name, e.g. "pkg.blocks" or "train" for a script
    root: Path  # the folder that module name is relative to
    is_package: bool
    tree: cst.Module
    facts: ModuleFacts
    # What each dotted name written in this module resolves to; names repeat a lot.
    resolved: dict[str, Resolved] = field(default_factory=dict, repr=False)
    # Files whose absence shaped what this module's names mean: where an import that did not
    # resolve looked, and the __init__.py that would make the module's folder a package (and
    # so change its dotted name). A cache entry must die when one of them appears.
    probed: set[Path] = field(default_factory=set, repr=False)

    @property
    def top_package(self) -> str:
        return self.name.split(".")[0]

    @property
    def in_keras_family(self) -> bool:
        """Inside keras, keras_hub, ...: Keras imports these modules by name at load time.
        Checked on the folders too, since namespace packages have no __init__.py."""
        if self.top_package in keras_names.KERAS_FAMILY_PACKAGES:
            return True
        return any(parent.name in keras_names.KERAS_FAMILY_PACKAGES
                   and os.path.isfile(parent / "__init__.py") for parent in self.path.parents)


@dataclass(frozen=True)
class Resolved:
    """What a name means: a Keras object, a class or function of the tree, or unknown."""

    kind: str  # "keras" | "class" | "function" | "external" | "unknown"
    name: str = ""  # canonical Keras name or qualified external name
    module: ModuleInfo | None = None
    cls: ClassFacts | None = None
    function: FunctionFacts | None = None


@dataclass
class ClassInfo:
    """A class with its bases resolved through the whole tree."""

    module: ModuleInfo
    facts: ClassFacts
    keras_bases: list[str] = field(default_factory=list)  # canonical, nearest first
    ancestors: list[ClassInfo] = field(default_factory=list)  # custom ancestors, nearest first
    unresolved: bool = False  # a base could not be resolved

    @property
    def name(self) -> str:
        return self.facts.name

    @property
    def kind(self) -> str | None:
        """"layer", "model", "loss", ... for a Keras class that is saved; None otherwise."""
        for base in self.keras_bases:
            kind = keras_names.class_kind(base)
            if kind in keras_names.SERIALIZABLE_KINDS:
                return kind
            if kind is not None:
                return None  # a callback or other Keras class that is never saved
        return None

    def lineage(self) -> list[ClassInfo]:
        """This class and its custom ancestors, in lookup order."""
        return [self, *self.ancestors]

    def find_method(self, name: str) -> tuple[ClassInfo, FunctionFacts] | None:
        """The method *name* as defined by this class or its nearest custom ancestor."""
        for owner in self.lineage():
            method = owner.facts.method(name)
            if method is not None:
                return owner, method
        return None

    def nearest_keras_base(self) -> str | None:
        return self.keras_bases[0] if self.keras_bases else None


def module_name_for(path: Path) -> tuple[str, Path, bool]:
    """The dotted name a file is imported as, its import root, and whether it is a package."""
    path = path.resolve()
    is_package = path.name == "__init__.py"
    parts = [] if is_package else [path.stem]
    folder = path.parent
    while os.path.isfile(folder / "__init__.py") and folder.parent != folder:
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts) or path.parent.name, folder, is_package


class Project:
    """The modules kcheck has seen, parsed lazily and once."""

    def __init__(self) -> None:
        self._by_path: dict[Path, ModuleInfo | None] = {}
        self._classes: dict[tuple[Path, str], ClassInfo] = {}
        self._module_files: dict[tuple[Path, str], Path | None] = {}

    def add(self, path: Path, tree: cst.Module) -> ModuleInfo:
        """Register a module the caller already parsed."""
        path = path.resolve()
        name, root, is_package = module_name_for(path)
        info = ModuleInfo(path, name, root, is_package, tree, extract_module(tree))
        info.probed.add(root / "__init__.py")
        self._by_path[path] = info
        # The file may have been parsed before as another module's base: drop the classes read
        # from that earlier tree, or findings would point at nodes the caller's tree lacks.
        for key in [key for key in self._classes if key[0] == path]:
            del self._classes[key]
        return info

    def module(self, path: Path) -> ModuleInfo | None:
        """A module already parsed, if any."""
        return self._by_path.get(path.resolve())

    def load(self, path: Path) -> ModuleInfo | None:
        """Parse another module of the tree on demand; None when it cannot be read."""
        path = path.resolve()
        if path in self._by_path:
            return self._by_path[path]
        self._by_path[path] = None  # guards against import cycles while parsing
        try:
            tree = parse_module(read_source(path))
        except (SourceError, ParseFailure, RecursionError, MemoryError):
            return None
        return self.add(path, tree)

    # -- names ---------------------------------------------------------------------------

    def _find_module(self, dotted: str, root: Path, probed: set[Path]) -> ModuleInfo | None:
        key = (root, dotted)
        base = root.joinpath(*dotted.split("."))
        candidates = (base.with_suffix(".py"), base / "__init__.py")
        if key not in self._module_files:
            self._module_files[key] = next((c for c in candidates if os.path.isfile(c)), None)
        found = self._module_files[key]
        if found is None:
            probed.update(candidates)
            return None
        probed.add(found)  # editing or removing it changes what the name means, too
        return self.load(found)

    def _absolute(self, info: ModuleInfo, qualified: Qualified) -> str | None:
        if qualified.level == 0:
            return qualified.name
        package = info.name.split(".")
        if not info.is_package:
            package = package[:-1]
        up = qualified.level - 1
        if up > len(package):
            return None
        package = package[: len(package) - up]
        return ".".join(package + ([qualified.name] if qualified.name else []))

    def resolve(self, info: ModuleInfo, dotted: str, depth: int = 0) -> Resolved:
        """What *dotted* (as written in *info*) refers to."""
        cached = info.resolved.get(dotted)
        if cached is None:
            cached = self._resolve(info, dotted, depth)
            info.resolved[dotted] = cached
        return cached

    def _resolve(self, info: ModuleInfo, dotted: str, depth: int) -> Resolved:
        if depth > _MAX_DEPTH:
            return Resolved("unknown")
        head, _, rest = dotted.partition(".")
        facts = info.facts
        if not rest and head in facts.classes:
            return Resolved("class", module=info, cls=facts.classes[head])
        if not rest and head in facts.functions:
            return Resolved("function", module=info, function=facts.functions[head])
        qualified = facts.imports.qualify(dotted)
        if qualified is None:
            return Resolved("unknown", dotted)
        absolute = self._absolute(info, qualified)
        if absolute is None:
            return Resolved("unknown", dotted)
        canonical = keras_names.canonical(absolute) if qualified.level == 0 else None
        if canonical is not None:
            return Resolved("keras", canonical)
        # In the tree? Try the longest module prefix that exists as a file.
        parts = absolute.split(".")
        if info.root.name in _INSTALLED_ROOTS and parts[0] != info.top_package:
            # Checking installed code: other installed distributions are not the checked tree.
            return Resolved("external", absolute)
        for cut in range(len(parts) - 1, 0, -1):
            target = self._find_module(".".join(parts[:cut]), info.root, info.probed)
            if target is not None:
                remainder = ".".join(parts[cut:])
                return self.resolve(target, remainder, depth + 1)
        return Resolved("external", absolute)

    def dependencies(self, info: ModuleInfo) -> set[Path]:
        """Files that can change *info*'s findings: the modules its names, and theirs in turn,
        resolved into, the modules of its classes' ancestors, and the places where names that
        did not resolve were looked for (files that do not exist yet)."""
        seen: set[Path] = set()
        probed: set[Path] = set()
        pending = [info]
        while pending:
            current = pending.pop()
            probed.update(current.probed)
            linked = [r.module for r in current.resolved.values() if r.module is not None]
            for facts in current.facts.classes.values():
                cls = self._classes.get((current.path, facts.name))
                if cls is not None:
                    linked.extend(ancestor.module for ancestor in cls.ancestors)
            for module in linked:
                if module.path != info.path and module.path not in seen:
                    seen.add(module.path)
                    pending.append(module)
        return seen | probed

    # -- classes -------------------------------------------------------------------------

    def class_info(self, info: ModuleInfo, facts: ClassFacts, depth: int = 0) -> ClassInfo:
        """Resolve *facts*'s bases through the tree (memoised)."""
        key = (info.path, facts.name)
        cached = self._classes.get(key)
        if cached is not None:
            return cached
        result = ClassInfo(info, facts)
        self._classes[key] = result  # cycles see a partial answer instead of recursing forever
        for base in facts.bases:
            if base == "?" or depth > _MAX_DEPTH:
                result.unresolved = True
                continue
            target = self.resolve(info, base)
            if target.kind == "keras":
                result.keras_bases.append(target.name)
            elif target.kind == "class" and target.module is not None and target.cls is not None:
                if target.cls is facts:
                    continue
                parent = self.class_info(target.module, target.cls, depth + 1)
                result.ancestors.append(parent)
                for ancestor in parent.ancestors:
                    if ancestor not in result.ancestors:
                        result.ancestors.append(ancestor)
                result.keras_bases.extend(b for b in parent.keras_bases
                                          if b not in result.keras_bases)
                result.unresolved = result.unresolved or parent.unresolved
            elif base != "object":
                result.unresolved = True
        return result

    def keras_classes(self, info: ModuleInfo) -> list[ClassInfo]:
        """The module's classes that Keras saves (layers, models, losses, ...)."""
        found = []
        for facts in info.facts.classes.values():
            cls = self.class_info(info, facts)
            if cls.kind is not None:
                found.append(cls)
        return found
