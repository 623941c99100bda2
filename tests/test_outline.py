"""The cheap pass reads a module's names from CPython's ast exactly as the facts layer reads
them from libcst: every resolution, and so every finding, depends on it."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from kcheck.facts.module import extract_module
from kcheck.facts.outline import read_outline, scan_module
from kcheck.facts.project import ModuleInfo
from kcheck.facts.save_calls import _assignments

ROOT = Path(__file__).resolve().parents[1]

TRICKY = {
    "function imports, try body wins": """
        def f():
            try:
                from keras import layers
            except ImportError:
                from tensorflow.keras import layers
            return layers
        """,
    "function imports, if body wins over else": """
        import numpy as layers
        def f(flag):
            if flag:
                from keras import layers
            elif not flag:
                import tf_keras as layers
            else:
                from tensorflow.keras import layers
            for _ in range(3):
                import torch as layers
            else:
                import jax as layers
            while False:
                import x as layers
            with open("f"):
                import keras.layers as layers
        """,
    "module level: handler wins, class-level imports ignored": """
        try:
            from keras import layers
        except ImportError:
            from tensorflow.keras import layers
        finally:
            import os
        class A:
            import json as layers
            def m(self):
                import pickle as layers
                def inner():
                    from .sibling import Base
                class Local:
                    def n(self):
                        from ..up import thing as layers
        from pkg import *
        """,
    "bases and redefinitions": """
        from keras import layers as L
        class A(L.Layer, *mixins, metaclass=Meta): pass
        class B(A, object, f().x): pass
        if True:
            class A(B): pass
        else:
            def g(): pass
        async def g(): pass
        match x:
            case 1:
                def h():
                    import keras
        """,
    "assignments anywhere": """
        model = keras.Sequential()
        model: keras.Model = build()
        a = b = factory.make()
        self_x, y = 1, 2
        def f(self):
            self.model = other()
            model = np.load("x")
            x[0] = get_custom_objects()
            lam = lambda: (z := 1)
        class C:
            attr = 3
        """,
}


def _names(facts) -> tuple:
    return (dict(facts.imports.bindings),
            {name: list(cls.bases) for name, cls in facts.classes.items()},
            sorted(facts.functions))


def _check(text: str) -> None:
    full = extract_module(cst.parse_module(text))
    syntax = ast.parse(text)
    assert _names(read_outline(syntax)) == _names(full)
    # the same names from the scan's function-level imports, when it has them
    assert _names(read_outline(syntax, scan_module(syntax).function_imports)) == _names(full)
    info = ModuleInfo(Path("m.py"), "m", Path("."), False, cst.parse_module(text), full)
    expected = {name: sorted(map(str, callees)) for name, callees in _assignments(info).items()}
    scanned = {name: sorted(map(str, callees))
               for name, callees in scan_module(syntax).assignments.items()}
    assert scanned == expected


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_outline_reads_names_as_the_facts_layer(name):
    _check(textwrap.dedent(TRICKY[name]))


def test_outline_agrees_on_real_files():
    files = sorted([*ROOT.joinpath("corpus").rglob("*.py"), *ROOT.joinpath("src").rglob("*.py"),
                    *ROOT.joinpath("benchmarks").rglob("*.py")])
    assert len(files) > 100
    for path in files:
        _check(path.read_text(encoding="utf-8"))


def _imported(statements) -> list[str]:
    return [ast.unparse(statement) for statement in statements]


def test_scan_lists_the_imports_inside_functions():
    syntax = ast.parse(textwrap.dedent("""
        import numpy as layers
        try:
            import json
        except ImportError:
            json = None
        class A:
            import pickle
            def m(self):
                from keras import layers
        async def f():
            def inner():
                import os
        """))
    scan = scan_module(syntax)
    assert sorted(_imported(scan.function_imports)) == ["from keras import layers", "import os"]
    # used (no two bind one name), and the function's import wins as the last binding
    assert read_outline(syntax, scan.function_imports).imports.bindings["layers"].name == \
        "keras.layers"


def test_scan_cannot_place_an_import_after_a_function_in_a_block():
    """Inside an ``if`` at module level, an import after a nested function may be in it or
    after it: the scan gives no list, and read_outline walks the statements itself."""
    text = textwrap.dedent("""
        if True:
            def f():
                pass
            import keras
        """)
    syntax = ast.parse(text)
    assert scan_module(syntax).function_imports is None
    _check(text)


def test_outline_walks_itself_when_function_imports_bind_one_name_twice():
    text = textwrap.dedent("""
        def f(flag):
            if flag:
                from keras import layers
            else:
                from tensorflow.keras import layers
        """)
    syntax = ast.parse(text)
    imports = scan_module(syntax).function_imports
    assert _imported(imports) == ["from keras import layers", "from tensorflow.keras import layers"]
    # the libcst walk reaches the else branch first, so the if branch's import wins
    assert read_outline(syntax, imports).imports.bindings["layers"].name == "keras.layers"
    _check(text)


def _calls_in_order(node: ast.AST) -> list[ast.Call]:
    """The calls in *node*, parents first, fields in their order, lists in order."""
    found = [node] if isinstance(node, ast.Call) else []
    for child in ast.iter_child_nodes(node):
        found.extend(_calls_in_order(child))
    return found


def test_scan_finds_every_call_an_ast_walk_finds():
    """The scan passes over names, constants and attribute chains without visiting them; it
    still meets every call, each unit's in the order of a plain walk over it."""
    files = sorted([*ROOT.joinpath("src").rglob("*.py"), *ROOT.joinpath("corpus").rglob("*.py")])
    for path in files:
        syntax = ast.parse(path.read_text(encoding="utf-8"))
        scan = scan_module(syntax)
        scanned = [call for calls in scan.unit_calls.values() for call in calls]
        scanned += scan.other_calls
        walked = [node for node in ast.walk(syntax) if isinstance(node, ast.Call)]
        assert sorted(map(id, scanned)) == sorted(map(id, walked)), path
        units = [node for node in ast.walk(syntax) if id(node) in scan.unit_calls]
        for unit in units:
            assert scan.unit_calls[id(unit)] == _calls_in_order(unit), path
