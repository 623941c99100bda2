"""Modules of the checked tree and what their names mean across files.

A :class:`Project` parses a module the first time anything asks for it, so a class whose base
lives in another file of the tree (``from .base import ResidualBase``) sees that base's methods,
whether kcheck was started on the whole tree or flake8 hands it one file.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.imports import ImportTable, Qualified
from kcheck.facts.module import ClassFacts, FunctionFacts, ModuleFacts, extract_module
from kcheck.facts.outline import definition_lines, read_outline
from kcheck.sources.parsing import ParseFailure, cpython_tree, parse_module
from kcheck.sources.python import SourceError, read_source, source_lines

_MAX_DEPTH = 12  # re-exports and base chains deeper than this are treated as unknown
_INSTALLED_ROOTS = frozenset({"site-packages", "dist-packages"})


@dataclass
class ModuleInfo:
    """One parsed module of the tree."""

    path: Path
    name: str  # dotted module name, e.g. "pkg.blocks" or "train" for a script
    root: Path  # the folder that module name is relative to
    is_package: bool
    tree: cst.Module | None  # None in an outline (kcheck.facts.outline)
    facts: ModuleFacts
    # Read with CPython's ast into names only (kcheck.facts.outline): no libcst tree, no code.
    outline: bool = False
    # What each dotted name written in this module resolves to; names repeat a lot.
    resolved: dict[str, Resolved] = field(default_factory=dict, repr=False)
    # Files whose absence shaped what this module's names mean: where an import that did not
    # resolve looked, and the __init__.py that would make the module's folder a package (and
    # so change its dotted name). A cache entry must die when one of them appears.
    probed: set[Path] = field(default_factory=set, repr=False)
    # Its classes with their bases resolved (Project.class_info), by name.
    class_infos: dict[str, ClassInfo] = field(default_factory=dict, repr=False)
    # What later layers work out once per module (a fix's preferred quote, ...): kept here so
    # that it goes with the module's tree instead of outliving it in a global cache.
    memo: dict[str, object] = field(default_factory=dict, repr=False)
    # The checked module's text: what is read from the text rather than from a tree that may
    # lack the bodies the cheap pass left out (the quotes a fix writes in).
    source: str | None = field(default=None, repr=False)
    # An outline's definitions by name: their lines (kcheck.facts.outline.definition_lines).
    definition_lines: dict[str, tuple[int, int] | None] = field(default_factory=dict,
                                                                 repr=False)

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
    """The modules kcheck has seen, each read once and only as far as it is needed.

    A module another one refers to is first read as an *outline* (CPython's ast: its imports,
    classes with their bases, functions; kcheck.facts.outline), which answers what its names
    are. It is parsed with libcst only when something needs its code: a class's methods (an
    ancestor of a checked class), a function's body (a registering decorator). The module being
    checked is registered with :meth:`begin_check` and dropped with :meth:`end_check`.
    """

    def __init__(self) -> None:
        self._by_path: dict[Path, ModuleInfo | None] = {}
        self._checking: dict[Path, ModuleInfo] = {}
        # (root, dotted module name) -> (its file or None, the files that would be it)
        self._module_files: dict[tuple[Path, str], tuple[Path | None, tuple[Path, Path]]] = {}
        self._real: dict[Path, Path] = {}  # path as given -> resolved (resolve() stats a lot)
        self._names: dict[Path, tuple[str, Path, bool]] = {}  # see module_name
        self._packages: dict[Path, tuple[tuple[str, ...], Path]] = {}  # see _package
        # (path, name) -> a definition read on its own (see definition)
        self._definitions: dict[tuple[Path, str], ModuleFacts | None] = {}

    def _resolve_path(self, path: Path) -> Path:
        real = self._real.get(path)
        if real is None:
            real = self._real[path] = path.resolve()
        return real

    def add(self, path: Path, tree: cst.Module) -> ModuleInfo:
        """Register a module the caller already parsed, for other modules to use."""
        info = self._info(path, tree, extract_module(tree))
        self._by_path[info.path] = info
        return info

    def begin_check(self, path: Path, tree: cst.Module,
                    assignments: dict[str, list[str | None]] | None = None,
                    imports: ImportTable | None = None, source: str | None = None
                    ) -> ModuleInfo:
        """Register the module about to be checked. It answers for its own names only: other
        modules that refer to the file get its outline (or a whole parse). When *tree* lacks the
        function bodies kcheck.facts.relevance left out, *assignments* and *imports* are the
        whole file's (kcheck.facts.outline.ModuleScan.assignments, and the outline's table,
        which holds the imports inside functions as extract_module reads them: a left-out
        ``import keras`` in a helper still decides what ``keras`` means)."""
        facts = extract_module(tree)
        facts.assignments = assignments
        if imports is not None:
            facts.imports = ImportTable(dict(imports.bindings))
        info = self._info(path, tree, facts)
        info.source = source
        self._checking[info.path] = info
        return info

    def end_check(self, path: Path) -> None:
        """Forget the module checked at *path*: its libcst tree is not kept. Its caches point
        back at it (a class of the module resolves to the module), so they are emptied: the
        tree is then freed at once, with the garbage collector off as kcheck runs it."""
        info = self._checking.pop(self._resolve_path(path), None)
        if info is not None:
            info.resolved.clear()
            info.class_infos.clear()

    def outline_of(self, path: Path, tree: ast.Module,
                   function_imports: list[ast.Import | ast.ImportFrom] | None = None
                   ) -> ModuleInfo:
        """The module at *path* as other modules see it; its outline is read from *tree*
        (CPython's parse of its text) unless the module was read before. *function_imports*:
        see :func:`read_outline`."""
        path = self._resolve_path(path)
        info = self._by_path.get(path)  # None too while load() reads it
        if info is None:
            info = self._info(path, None, read_outline(tree, function_imports), outline=True)
            info.definition_lines = definition_lines(tree)
            self._by_path[path] = info
        return info

    def _info(self, path: Path, tree: cst.Module | None, facts: ModuleFacts,
              outline: bool = False) -> ModuleInfo:
        path = self._resolve_path(path)
        name, root, is_package = self.module_name(path)
        info = ModuleInfo(path, name, root, is_package, tree, facts, outline=outline)
        info.probed.add(root / "__init__.py")
        return info

    def module_name(self, path: Path) -> tuple[str, Path, bool]:
        """:func:`module_name_for`, asking each folder once whether it is a package (the
        files of a tree share their folders)."""
        path = self._resolve_path(path)
        names = self._names.get(path)
        if names is None:
            parts, root = self._package(path.parent)
            is_package = path.name == "__init__.py"
            dotted = ".".join(parts if is_package else (*parts, path.stem))
            names = self._names[path] = (dotted or path.parent.name, root, is_package)
        return names

    def _package(self, folder: Path) -> tuple[tuple[str, ...], Path]:
        """The package names from the import root down to *folder*, and that root."""
        known = self._packages.get(folder)
        if known is None:
            if os.path.isfile(folder / "__init__.py") and folder.parent != folder:
                parts, root = self._package(folder.parent)
                known = ((*parts, folder.name), root)
            else:
                known = ((), folder)
            self._packages[folder] = known
        return known

    def module(self, path: Path) -> ModuleInfo | None:
        """The module being checked at *path*, else one already read, if any."""
        path = self._resolve_path(path)
        return self._checking.get(path) or self._by_path.get(path)

    def load(self, path: Path) -> ModuleInfo | None:
        """Read another module of the tree on demand (as an outline when CPython can parse
        it); None when it cannot be read."""
        path = self._resolve_path(path)
        if path in self._by_path:
            return self._by_path[path]
        self._by_path[path] = None  # guards against import cycles while reading
        try:
            text = read_source(path)
        except SourceError:
            return None
        syntax = cpython_tree(text)
        if syntax is None:
            return self._parse(path, text)  # perhaps newer syntax, which libcst knows
        return self.outline_of(path, syntax)

    def _parse(self, path: Path, text: str) -> ModuleInfo | None:
        try:
            tree = parse_module(text)
        except (ParseFailure, RecursionError, MemoryError):
            return None
        return self.add(path, tree)

    def whole(self, info: ModuleInfo) -> ModuleInfo:
        """*info* with its code: an outline is parsed with libcst (once) and replaces it."""
        if not info.outline:
            return info
        current = self._by_path.get(info.path)
        if current is not None and not current.outline:
            return current
        try:
            text = read_source(info.path)
        except SourceError:
            return info
        return self._parse(info.path, text) or info

    def complete(self, target: Resolved) -> Resolved:
        """*target* with the code of its class or function (see :meth:`whole`)."""
        if target.module is None or not target.module.outline:
            return target
        module = self.whole(target.module)
        if module.outline:
            return target
        cls = module.facts.classes.get(target.cls.name) if target.cls is not None else None
        function = module.facts.functions.get(target.function.name) \
            if target.function is not None else None
        if (target.cls is not None and cls is None) or \
                (target.function is not None and function is None):
            return target
        return Resolved(target.kind, target.name, module, cls, function)

    def definition(self, target: Resolved) -> Resolved:
        """*target* with the code of its function or class. In an outline's module only that
        definition's own lines are parsed: a registering decorator's body is all that is read
        of it, and parsing a whole helper module for it cost more than checking many files.
        What that module's names mean still comes from its outline. A definition that cannot
        be read alone (indented under an ``if``, say) makes :meth:`complete` parse the module.
        """
        module = target.module
        facts = target.function or target.cls
        if module is None or not module.outline or facts is None:
            return target
        key = (module.path, facts.name)
        if key not in self._definitions:
            self._definitions[key] = self._read_definition(module, facts.name)
        alone = self._definitions[key]
        cls = alone.classes.get(facts.name) if alone is not None and target.cls else None
        function = alone.functions.get(facts.name) if alone is not None and \
            target.function else None
        if cls is None and function is None:
            return self.complete(target)
        return Resolved(target.kind, target.name, module, cls, function)

    def _read_definition(self, module: ModuleInfo, name: str) -> ModuleFacts | None:
        """The facts of a module holding only the definition of *name* the outline *module*
        names, read from that definition's lines; None when it cannot be read alone."""
        lines = module.definition_lines.get(name)
        if lines is None:
            return None
        try:
            text = read_source(module.path)
        except SourceError:
            return None
        first, last = lines
        try:
            return extract_module(parse_module("".join(source_lines(text)[first - 1:last])))
        except ParseFailure:
            return None

    # -- names ---------------------------------------------------------------------------

    def _find_module(self, dotted: str, root: Path, probed: set[Path]) -> ModuleInfo | None:
        key = (root, dotted)
        known = self._module_files.get(key)
        if known is None:  # names repeat across the files of a tree: paths are made once
            base = root.joinpath(*dotted.split("."))
            candidates = (base.with_suffix(".py"), base / "__init__.py")
            known = self._module_files[key] = (
                next((c for c in candidates if os.path.isfile(c)), None), candidates)
        found, candidates = known
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
        if cached is not None and cached.module is not None and cached.module.outline and \
                self._by_path.get(cached.module.path) is not cached.module:
            cached = None  # that outline has been parsed whole since: answer from the code
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
                cls = current.class_infos.get(facts.name)
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
        cached = info.class_infos.get(facts.name)
        if cached is not None and cached.facts is facts:
            return cached
        result = ClassInfo(info, facts)
        info.class_infos[facts.name] = result  # cycles see a partial answer, not a loop
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
                if not info.outline:  # an ancestor of a class with code needs its code too
                    target = self.complete(target)
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

