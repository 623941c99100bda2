"""The package's layers and the direction of imports between them (README, "How it is built").

Every module of kcheck is imported, and every `import` statement in it — at module level or
inside a function — is checked against the layer table below. A lower layer importing a higher
one fails here.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import kcheck

PACKAGE = Path(kcheck.__file__).resolve().parent

# Each layer and the layers it may import (besides itself and the package root, which holds only
# __version__). Layers that do not exist yet are listed so that they land in their place.
ALLOWED: dict[str, set[str]] = {
    "sources": set(),
    "facts": {"sources"},
    "fixes": {"facts", "sources"},
    "rules": {"facts", "fixes", "sources"},
    "verify": {"sources"},
    "engine": {"rules", "fixes", "facts", "sources", "verify"},
    "formats": {"engine", "rules", "sources"},
    "front doors": {"engine", "formats", "rules", "fixes", "facts", "sources", "verify"},
}
FRONT_DOORS = {"cli", "config", "flake8_plugin", "__main__"}
# What nothing may import but another front door: they parse options and call the engine.
ONLY_FRONT_DOORS_IMPORT = {f"kcheck.{name}" for name in FRONT_DOORS}


def _layer_of(module: str) -> str | None:
    """The layer of a dotted module name inside kcheck; None for the package root."""
    parts = module.split(".")
    if parts[0] != "kcheck" or len(parts) == 1:
        return None
    if parts[1] in FRONT_DOORS:
        return "front doors"
    if parts[1] in ALLOWED:
        return parts[1]
    raise AssertionError(f"{module} belongs to no layer: add it to tests/test_layering.py "
                         "and to the README's 'How it is built'")


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def _imports(module: str, path: Path) -> list[tuple[int, str]]:
    """Every kcheck module named by an import in *path*, with its line."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names.append((node.lineno, base))
            # `from kcheck.facts import keras_names` imports the submodule.
            names += [(node.lineno, f"{base}.{alias.name}") for alias in node.names
                      if (PACKAGE.parent / f"{base}.{alias.name}".replace(".", "/")).exists()
                      or (PACKAGE.parent / (f"{base}.{alias.name}".replace(".", "/") + ".py"))
                      .exists()]
    return [(line, name) for line, name in names if name == "kcheck"
            or name.startswith("kcheck.")]


MODULES = _modules()


@pytest.mark.parametrize("module", [name for name, _ in MODULES if name != "kcheck.__main__"])
def test_every_module_imports(module):
    importlib.import_module(module)


def test_every_module_is_in_a_layer():
    for module, _ in MODULES:
        _layer_of(module)


def _breaks(modules: list[tuple[str, Path]]) -> list[str]:
    breaks = []
    for module, path in modules:
        layer = _layer_of(module)
        for line, imported in _imports(module, path):
            target = _layer_of(imported)
            if layer is None or target is None or target == layer:
                continue
            if target not in ALLOWED[layer]:
                breaks.append(f"{module}:{line}: {layer} imports {imported} ({target})")
            elif imported in ONLY_FRONT_DOORS_IMPORT and layer != "front doors":
                breaks.append(f"{module}:{line}: imports the front door {imported}")
    return breaks


def test_imports_only_go_down_the_layers():
    breaks = _breaks(MODULES)
    assert not breaks, "layering broken:\n" + "\n".join(breaks)


def test_the_issue_s_rules_are_in_the_table():
    # The constraints the design cannot lose, stated directly.
    for higher in ("rules", "fixes", "verify", "formats", "front doors", "engine"):
        assert higher not in ALLOWED["facts"]
    assert "front doors" not in ALLOWED["rules"]
    assert all("front doors" not in allowed for layer, allowed in ALLOWED.items()
               if layer != "front doors")


@pytest.mark.parametrize(("module", "source"), [
    ("kcheck.facts.bad", "from kcheck.rules import ALL_RULES\n"),
    ("kcheck.facts.bad", "def f():\n    from kcheck.engine.cache import ResultCache\n"),
    ("kcheck.facts.bad", "from kcheck import verify\n"),
    ("kcheck.rules.bad", "import kcheck.cli\n"),
    ("kcheck.formats.bad", "from ..config import load_config\n"),
])
def test_a_layering_break_fails(tmp_path, module, source):
    bad = tmp_path / "bad.py"
    bad.write_text(source)
    assert _breaks([(module, bad)])


def test_pkgutil_sees_the_same_modules():
    walked = {info.name for info in pkgutil.walk_packages(kcheck.__path__, "kcheck.")}
    assert walked == {name for name, _ in MODULES} - {"kcheck"}
