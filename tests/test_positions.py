"""kcheck.engine.positions places nodes exactly where PositionProvider on the whole module
does, while generating only the part of a top-level statement that leads up to them."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from kcheck.engine import positions
from kcheck.engine.positions import finding_positions
from kcheck.facts.cst_walk import walk
from kcheck.facts.outline import scan_module
from kcheck.facts.project import Project
from kcheck.facts.relevance import reduced_source
from kcheck.sources.notebook import read_notebook
from kcheck.sources.parsing import member_lines, statement_lines

ROOT = Path(__file__).resolve().parents[1]

TRICKY = {
    "decorated methods, comments and blank lines between members, last member": '''\
        # a module header comment

        import keras
        x = 1; y = 2


        @keras.saving.register_keras_serializable(
            package="p",
        )
        # a comment between a decorator and the class
        class Scale(keras.layers.Layer):
            """Doc."""

            factor = 2; offset = 3
            # a comment before a method

            @property
            def scale(self):
                return self.factor  # trailing comment


            @staticmethod
            @other(
                1,
            )
            def make(a, b=lambda v: v + 1, *args, c: int = 3, **kwargs) -> "Scale":
                if a:
                    return b
                else:
                    return Scale()

            def get_config(self):
                config = super().get_config()
                config.update({"factor": self.factor})
                return config
                # a comment after the last statement, deeper
        # a comment after the class, at column 0

        def train(model):
            """Doc."""
            model.fit(1, 2); model.save("m.keras")
            for layer in model.layers:
                print(layer)
            return model
        ''',
    "nested classes and async defs": '''\
        class Outer:
            class Inner(object):
                class Innermost:
                    value = 1

                async def run(self):
                    async with lock:
                        async for item in stream():
                            await item

            async def go(self, *, key=None):
                return [i async for i in self.Inner().run()]

        async def main():
            await Outer().go()
        ''',
    "multi-line headers and backslashes": '''\
        class Block(
            keras.layers.Layer,  # a comment in the bases
            metaclass=Meta,
        ):
            def call(
                self,
                inputs,
            ):
                total = inputs + \\
                    1
                return total

        class Plain \\
                (Base):
            value = (1,
                     2)
        ''',
    "one-line bodies": '''\
        class A: pass
        class B: x = 1; y = 2
        def f(): return 1
        class C:
            def g(self): return 2
            def h(self): pass
        if x: y = 1
        else: y = 2
        ''',
    "compound statements at top level": '''\
        if __name__ == "__main__":
            model = build()

            model.save("m.keras")
        elif other:
            pass
        else:
            raise SystemExit(1)
        try:
            import keras
        except ImportError:
            keras = None
        else:
            pass
        finally:
            done = True
        while running:
            step()
        else:
            stop()
        with open("f") as handle, open("g") as other:
            data = handle.read()
        for i in range(3):
            for j in range(3):
                print(i, j)
        match command:
            case "go":
                go()
            case _:
                pass
        ''',
    "a decorator's expression on the line after its @": '''\
        x = 1
        @\\
        register
        class A:
            @\\
            property
            def f(self): return 1
            y = 2
        ''',
    "unicode": '''\
        class Größe:
            def maß(self, wert="äöü"):
                return "日本語" + wert  # 注释
        ''',
}


def _modules() -> list[tuple[str, str]]:
    found = []
    for name, source in TRICKY.items():
        text = textwrap.dedent(source)
        found.append((name, text))
        found.append((name + ", CRLF", text.replace("\n", "\r\n")))
        found.append((name + ", no trailing newline", text.rstrip("\n")))
    tabbed = textwrap.dedent(TRICKY["nested classes and async defs"]).replace("    ", "\t")
    found.append(("tabs", tabbed))
    found.append(("tabs, CRLF", tabbed.replace("\n", "\r\n")))
    return found


def _expect_identical(tree: cst.Module, syntax: ast.Module, alone: bool = False) -> int:
    """Compare the positions of every code node of *tree* (all at once, and each alone when
    *alone*) with the whole-module provider's; return how many were compared."""
    whole = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = [node for node in walk(tree) if node is not tree]
    lines, members = statement_lines(syntax), member_lines(syntax)
    found = finding_positions(tree, lines, nodes, members)
    wrong = [node for node in nodes if found[node] != whole[node]]
    assert not wrong, [(type(n).__name__, found[n], whole[n]) for n in wrong[:5]]
    if alone:
        for node in nodes:
            assert finding_positions(tree, lines, [node], members)[node] == whole[node], node
    return len(nodes)


@pytest.fixture
def no_whole_module(monkeypatch):
    """The whole-module provider must not be what answers."""
    def refuse(*args, **kwargs):
        raise AssertionError("fell back to the whole-module provider")
    monkeypatch.setattr(positions, "MetadataWrapper", refuse)


@pytest.mark.parametrize("name, text", _modules(), ids=[name for name, _ in _modules()])
def test_every_node_of_tricky_modules(name, text, no_whole_module, monkeypatch):
    parts = set()
    original = positions._generate
    monkeypatch.setattr(positions, "_generate", lambda tree, statement, part, *rest:
                        parts.add(part) or original(tree, statement, part, *rest))
    _expect_identical(cst.parse_module(text), ast.parse(text), alone=True)
    assert any(part >= 0 for part in parts)  # some node was placed on its member alone


def _corpus_texts() -> list[tuple[Path, str]]:
    texts = [(path, path.read_text()) for path in sorted(ROOT.joinpath("corpus").rglob("*.py"))]
    for path in sorted(ROOT.joinpath("corpus").rglob("*.ipynb")):
        texts.append((path, read_notebook(path.read_text()).text))
    assert len(texts) > 100
    return texts


def test_every_node_of_the_corpus(no_whole_module):
    compared = 0
    for _path, text in _corpus_texts():
        try:
            syntax = ast.parse(text)
        except SyntaxError:
            continue  # kcheck reports these; no positions are worked out
        compared += _expect_identical(cst.parse_module(text), syntax)
    assert compared > 10_000


def test_every_node_of_the_corpus_as_the_cheap_pass_reduces_it(no_whole_module):
    """The checker places nodes of the reduced text's tree with CPython's lines of the whole
    text: methods the cheap pass dropped make a class's members disagree, and the statement is
    then generated whole."""
    reduced_files = 0
    for path, text in _corpus_texts():
        try:
            syntax = ast.parse(text)
        except SyntaxError:
            continue
        reduced = reduced_source(text, syntax, scan_module(syntax), path, Project())
        if reduced:
            reduced_files += 1
            _expect_identical(cst.parse_module(reduced), syntax)
    assert reduced_files > 10


def test_a_method_is_placed_on_its_own_code(monkeypatch):
    text = textwrap.dedent(TRICKY["decorated methods, comments and blank lines between members, "
                                  "last member"])
    tree = cst.parse_module(text)
    syntax = ast.parse(text)
    generated = []
    original = positions._positions
    monkeypatch.setattr(positions, "_positions",
                        lambda module: generated.append(module.code) or original(module))
    scale = next(statement for statement in tree.body if isinstance(statement, cst.ClassDef))
    get_config = scale.body.body[-1]
    finding_positions(tree, statement_lines(syntax), [get_config.name, scale.name],
                      member_lines(syntax))
    method, header = sorted(generated, key=len, reverse=True)
    assert "def get_config" in method and "def make" not in method
    assert "class Scale" in header and "def" not in header


def test_members_that_do_not_line_up_fall_back_to_the_whole_statement():
    text = "class A:\n    def f(self):\n        pass\n    def g(self):\n        return 1\n"
    reduced = 'class A:\n    """\n\n\n    """\n'  # as the cheap pass drops both methods
    tree = cst.parse_module(reduced)
    node = tree.body[0].body.body[0]
    syntax = ast.parse(text)
    found = finding_positions(tree, statement_lines(syntax), [node], member_lines(syntax))
    assert found[node].start.line == 2


def test_whitespace_nodes_are_placed_by_the_whole_module_provider():
    text = "import keras\n# a comment\nx = 1\n"
    tree = cst.parse_module(text)
    comment = tree.body[1].leading_lines[0].comment
    syntax = ast.parse(text)
    found = finding_positions(tree, statement_lines(syntax), [comment], member_lines(syntax))
    assert found[comment].start.line == 2


def test_statement_positions_fall_back_when_lines_disagree():
    tree = cst.parse_module("a = 1\nb = 2\n")
    node = tree.body[1]
    assert finding_positions(tree, [1], [node])[node].start.line == 2
