"""The facts layer's shortcuts against plain readings of the same trees: the walk's children
(a plan read off libcst's type hints), each function's calls and self-assignments (filled in
by the module's one walk) and the layer call around a node (worked out once per module) must
be the same, in the same order: facts keep the first or the last of several matches."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from kcheck.facts import cst_walk

ROOT = Path(__file__).resolve().parents[1]

TRICKY = """
from pkg import *
from . import (a as b, c)
import x.y as z
@deco(1, key=lambda v=2: v)
async def f(a, /, b: int = 3, *args: "T", c=4, d, **kw) -> list[int]:
    global g
    nonlocal_thing = [i async for i in it if i if not i]
    x = {**m, 1: 2}, {*s}, (*t,), f"{x!r:>{width}} {y=}" "tail" 'more'
    y: int = z if w else ~v
    del q[1:2:3, ...]
    with open(p) as (h, k), other:
        pass
    try:
        raise E from F
    except* Group as e:
        pass
    match command:
        case [1, *rest] | {"k": v, **others} | Point(x=0) as p if p:
            pass
        case _:
            pass
    while (n := n - 1):
        continue
    else:
        break
    assert a, b
    return (yield from g)
class C[T](Base, metaclass=M):
    type Alias[U] = dict[U, T]
    def m[V: int, *Ts, **P](self): ...
"""


def _reference_children(node: cst.CSTNode) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []
    for field in dataclasses.fields(node):
        if field.name in cst_walk._SKIP_FIELDS or "whitespace" in field.name:
            continue
        value = getattr(node, field.name)
        if isinstance(value, (tuple, list)):
            found.extend(item for item in reversed(value) if isinstance(item, cst.CSTNode))
        elif isinstance(value, cst.CSTNode):
            found.append(value)
    return found


def _assert_same_children(tree: cst.Module) -> int:
    count = 0
    for node in cst_walk.walk(tree):
        assert [id(c) for c in cst_walk._children(node)] == \
            [id(c) for c in _reference_children(node)], type(node).__name__
        count += 1
    return count


def test_children_on_tricky_syntax():
    tree = cst.parse_module(textwrap.dedent(TRICKY))
    assert _assert_same_children(tree) > 200


@pytest.mark.parametrize("node", [
    cst.Call(cst.Name("f"), [cst.Arg(cst.Integer("1"))]),  # lists, as hand-built trees have
    cst.ImportFrom(module=cst.Name("m"), names=cst.ImportStar()),
    cst.Param(cst.Name("p"), default=None),
])
def test_children_on_built_nodes(node):
    assert [id(c) for c in cst_walk._children(node)] == \
        [id(c) for c in _reference_children(node)]


FUNCTIONS = """
import keras
@register(name=make())
def top(a=default(), b: ann() = 1) -> ret():
    self.x = first()
    self.x, self.y = second(), third()
    self.z: int = fourth(lambda: inner_lambda())
    table[key()] = value()
    def nested(c=nested_default()):
        self.w = nested_call()
    class Local:
        attr = local_call()
    if flag:
        self.x = fifth()
    else:
        self.x = sixth()
    try:
        self.t = f"{seventh()}"
    finally:
        eighth([ninth() for _ in range(tenth())])
    return self.x
if keras:
    def top(c=again()):
        import keras.layers as layers
        layers.Dense(1)(inputs())
class Block(keras.layers.Layer):
    @decorated(arg())
    def __init__(self, units=units_default(), **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units)
        self.units = self.units or 1
    def call(self, x):
        return self.dense(x)
    def call(self, x):
        return other(x)
"""


def _reference_body(function) -> tuple[list, dict]:
    """The calls and self-assignments of a walk over the body alone, as kcheck first did."""
    from kcheck.facts.module import FunctionFacts, _record_self_assignment

    facts = FunctionFacts(function.name, function.node, [], [])
    for inner in cst_walk.walk_skipping_scopes(function.node.body):
        kind = type(inner)
        if kind is cst.Call:
            facts.calls.append(inner)
        elif kind is cst.Assign:
            for target in inner.targets:
                _record_self_assignment(facts, target.target, inner.value)
        elif kind is cst.AnnAssign and inner.value is not None:
            _record_self_assignment(facts, inner.target, inner.value)
    return facts.calls, facts.self_assignments


def _assert_same_function_facts(tree: cst.Module) -> int:
    from kcheck.facts.module import extract_module

    facts = extract_module(tree)
    functions = list(facts.functions.values())
    for cls in facts.classes.values():
        functions.extend(cls.methods.values())
    for function in functions:
        calls, assigned = _reference_body(function)
        assert [id(c) for c in function.calls] == [id(c) for c in calls], function.name
        assert list(function.self_assignments) == list(assigned), function.name
        assert [id(v) for v in function.self_assignments.values()] == \
            [id(v) for v in assigned.values()], function.name
    return len(functions)


def test_function_facts_match_a_walk_of_each_body():
    from kcheck.facts.module import extract_module

    tree = cst.parse_module(textwrap.dedent(FUNCTIONS))
    assert _assert_same_function_facts(tree) == 3
    facts = extract_module(tree)
    top = facts.functions["top"]  # the second definition
    assert [tree.code_for_node(c) for c in top.calls] == \
        ["layers.Dense(1)(inputs())", "inputs()", "layers.Dense(1)"]
    init = facts.classes["Block"].methods["__init__"]
    assert [tree.code_for_node(c) for c in init.calls] == \
        ["super().__init__(**kwargs)", "super()", "keras.layers.Dense(units)"]
    assert {name: tree.code_for_node(v) for name, v in init.self_assignments.items()} == \
        {"units": "self.units or 1", "dense": "keras.layers.Dense(units)"}


def test_children_and_function_facts_on_real_files():
    paths = sorted((ROOT / "corpus").rglob("*.py")) + sorted((ROOT / "src").rglob("*.py"))
    functions = 0
    for path in paths:
        try:
            tree = cst.parse_module(path.read_text(encoding="utf-8"))
        except cst.ParserSyntaxError:
            continue  # corpus cases may be broken on purpose
        _assert_same_children(tree)
        functions += _assert_same_function_facts(tree)
    assert functions > 500


LAYER_CALLS = """
import keras
from keras import layers
model = keras.Sequential([
    layers.Lambda(lambda t: t + 1),
    layers.Dense(4, activation=lambda t: t, kernel_initializer=keras.initializers.Zeros()),
    layers.TimeDistributed(layers.Dense(2, activation=lambda t: t * 2)),
    layers.Bidirectional(
        layers.LSTM(3, activation=lambda t: t)),
])
out = layers.Dense(1)(layers.Lambda(lambda t: -t)(inputs))
"""


def _reference_layer_call(project, module, node):
    """kcheck's first reading: walk every layer call for every node asked about."""
    from kcheck.facts import keras_names

    best = None
    for site in module.facts.calls:
        target = project.resolve(module, site.callee)
        if target.kind != "keras" or keras_names.class_kind(target.name) != "layer":
            continue
        size = 0
        found = False
        for inner in cst_walk.walk(site.node):
            size += 1
            found = found or inner is node
        if found and (best is None or size < best[0]):
            source = module.tree.code_for_node(site.node).strip()
            if "\n" not in source:
                best = (size, target.name, source)
    return (best[1], best[2]) if best is not None else None


@pytest.mark.parametrize("path", [None, *sorted((ROOT / "corpus" / "ks602").glob("*.py"))])
def test_layer_call_subjects_match_a_walk_per_node(path):
    from kcheck.facts.project import Project
    from kcheck.facts.subjects import enclosing_keras_layer_call

    text = textwrap.dedent(LAYER_CALLS) if path is None else path.read_text(encoding="utf-8")
    tree = cst.parse_module(text)
    project = Project()
    module = project.begin_check(ROOT / "corpus" / "subjects_case.py" if path is None else path,
                                 tree)
    answers = [enclosing_keras_layer_call(project, module, node)
               for node in cst_walk.walk(tree)]
    assert answers == [_reference_layer_call(project, module, node)
                       for node in cst_walk.walk(tree)]
    assert any(answers)
    if path is None:  # each lambda belongs to the innermost layer call around it
        lambdas = [answer for node, answer in zip(cst_walk.walk(tree), answers)
                   if isinstance(node, cst.Lambda)]
        assert [name for name, _ in lambdas] == [
            "keras.layers.Lambda", "keras.layers.Dense", "keras.layers.Dense",
            "keras.layers.LSTM", "keras.layers.Lambda"]
        assert lambdas[2][1] == "layers.Dense(2, activation=lambda t: t * 2)"
