"""How a layer or model class makes and tracks its state: weights, sublayers, Keras's own stores.

- :func:`positional_weight_names`: ``self.add_weight("kernel", ...)`` calls whose first
  positional argument is a string -- Keras 2's ``add_weight(name, shape, ...)`` order;
- :func:`tracking_assignments`: ``self._layers = ...`` and the other attribute names Keras's
  ``Layer`` uses for its tracker and the stores it saves from (the names are generated from the
  Keras sources into :mod:`kcheck.facts.keras_tracking_names`);
- :func:`child_layers` and :func:`unbuilt_children`: the sublayers a class creates in
  ``__init__`` or ``build()``, and those a ``build()`` leaves unbuilt.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.cst_walk import dotted_name, string_value, walk, walk_skipping_scopes
from kcheck.facts.keras_tracking_names import TRACKING_ATTRIBUTES
from kcheck.facts.module import FunctionFacts
from kcheck.facts.project import ClassInfo, Project

_LAYER_KINDS = ("layer", "model")


def _is_text(node: cst.BaseExpression, constants: dict) -> bool:
    if string_value(node) is not None:
        return True
    if isinstance(node, (cst.FormattedString, cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.Name) and node.value in constants:
        return string_value(constants[node.value]) is not None
    return False


def positional_weight_names(cls: ClassInfo) -> list[tuple[str, cst.Arg]]:
    """(method name, first argument) of every ``self.add_weight(<text>, ...)`` in the class's
    own methods."""
    found = []
    constants = cls.module.facts.constants
    for method in cls.facts.methods.values():
        for call in method.calls:
            if dotted_name(call.func) != "self.add_weight":
                continue
            positional = [a for a in call.args if a.keyword is None and not a.star]
            if positional and positional[0] is call.args[0] and \
                    _is_text(positional[0].value, constants):
                found.append((method.name, positional[0]))
    return found


@dataclass(frozen=True)
class TrackingAssignment:
    """``self.<name> = value`` for a name Keras keeps its tracking in."""

    method: str
    attribute: str
    target: cst.Attribute
    value: cst.BaseExpression | None  # None for an augmented or annotated-only assignment


def tracking_assignments(cls: ClassInfo) -> list[TrackingAssignment]:
    """Assignments in the class's own methods to an attribute Keras's Layer tracks with."""
    found = []
    for method in cls.facts.methods.values():
        for node in walk_skipping_scopes(method.node.body):
            targets: list[cst.BaseExpression] = []
            value = None
            kind = type(node)  # exact types: isinstance through libcst's ABCs is slow
            if kind is cst.Assign:
                targets, value = [t.target for t in node.targets], node.value
            elif kind is cst.AnnAssign or kind is cst.AugAssign:
                targets, value = [node.target], getattr(node, "value", None)
            else:
                continue
            for target in targets:
                if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) \
                        and target.value.value == "self" \
                        and target.attr.value in TRACKING_ATTRIBUTES:
                    found.append(TrackingAssignment(method.name, target.attr.value, target,
                                                    value))
    return found


def makes_layers(project: Project, cls: ClassInfo, value: cst.BaseExpression) -> bool:
    """Whether *value* constructs a Keras layer (built-in or of the tree), or a list of them."""
    if isinstance(value, (cst.List, cst.Tuple)):
        return any(makes_layers(project, cls, e.value) for e in value.elements)
    if isinstance(value, (cst.ListComp, cst.GeneratorExp)):
        return makes_layers(project, cls, value.elt)
    if not isinstance(value, cst.Call):
        return False
    name = dotted_name(value.func)
    if name is None:
        return False
    target = project.resolve(cls.module, name)
    if target.kind == "keras":
        return keras_names.class_kind(target.name) in _LAYER_KINDS and \
            not _built_on_construction(target.name, value)
    if target.kind == "class" and target.module is not None and target.cls is not None:
        return project.class_info(target.module, target.cls).kind in _LAYER_KINDS
    return False


def _built_on_construction(canonical: str, call: cst.Call) -> bool:
    """A functional model (``keras.Model(inputs, outputs)``) or a Sequential that starts with
    ``keras.Input(...)`` is built when it is made."""
    if keras_names.class_kind(canonical) != "model":
        return False
    positional = [a for a in call.args if a.keyword is None and not a.star]
    keywords = {a.keyword.value for a in call.args if a.keyword is not None}
    if len(positional) >= 2 or "inputs" in keywords:
        return True
    first = positional[0].value if positional else None
    if isinstance(first, (cst.List, cst.Tuple)) and first.elements:
        head = first.elements[0].value
        return isinstance(head, cst.Call) and (dotted_name(head.func) or "").endswith("Input")
    return False


def child_layers(project: Project, cls: ClassInfo) -> dict[str, str]:
    """Attribute -> method ("__init__" or "build") for every sublayer the class creates there."""
    children: dict[str, str] = {}
    for name in ("__init__", "build"):
        method = cls.facts.method(name)
        if method is None:
            continue
        for attribute, value in method.self_assignments.items():
            if makes_layers(project, cls, value):
                children.setdefault(attribute, name)
    return children


def _reached_methods(cls: ClassInfo, start: FunctionFacts, depth: int = 3) -> list[FunctionFacts]:
    """*start* and the class's own methods it calls as ``self.method(...)``, transitively."""
    seen = [start]
    frontier = [start]
    for _ in range(depth):
        following = []
        for method in frontier:
            for called in method.called_names():
                if called.startswith("self.") and called.count(".") == 1:
                    other = cls.facts.method(called[5:])
                    if other is not None and other not in seen:
                        seen.append(other)
                        following.append(other)
        frontier = following
    return seen


def runs_forward_pass(method: FunctionFacts) -> bool:
    """``self(...)`` or ``self.call(...)``: every child layer is called, hence built."""
    return bool({"self", "self.call", "super().__call__"} & method.called_names())


def unbuilt_children(project: Project, cls: ClassInfo) -> list[str] | None:
    """The sublayers the class's own ``build()`` never mentions, or None when the class has no
    ``build()`` of its own or it runs the forward pass. A child the body mentions in any way
    (``self.block.build(shape)``, a loop over ``self.blocks``) counts as built."""
    build = cls.facts.method("build")
    if build is None:
        return None
    children = child_layers(project, cls)
    if not children:
        return None
    reached = _reached_methods(cls, build)
    if any(runs_forward_pass(method) for method in reached):
        return None
    mentioned: set[str] = set()
    for method in reached:
        for node in walk(method.node.body):
            if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and \
                    node.value.value == "self":
                mentioned.add(node.attr.value)
    # A child created in build() itself and never built there is unbuilt too, so only the
    # assignment does not count as a mention.
    created_in_build = {a for a, where in children.items() if where == "build"}
    for attribute in created_in_build:
        uses = sum(1 for method in reached for node in walk(method.node.body)
                   if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)
                   and node.value.value == "self" and node.attr.value == attribute)
        if uses <= 1:
            mentioned.discard(attribute)
    return [a for a in children if a not in mentioned] or None


_TF_VARIABLES = frozenset({"tensorflow.Variable", "tensorflow.compat.v2.Variable",
                           "tensorflow.compat.v1.Variable"})


def tf_variable_attributes(project: Project, cls: ClassInfo) -> list[tuple[str, str, cst.Call]]:
    """(method, attribute, call) for every ``self.x = tf.Variable(...)`` in the class's own
    methods: a TensorFlow variable, which Keras 3's tracker does not recognise."""
    found = []
    for method in cls.facts.methods.values():
        for node in walk_skipping_scopes(method.node.body):
            if type(node) is not cst.Assign or type(node.value) is not cst.Call:
                continue
            name = dotted_name(node.value.func)
            if name is None or project.resolve(cls.module, name).name not in _TF_VARIABLES:
                continue
            for target in node.targets:
                if isinstance(target.target, cst.Attribute) and \
                        dotted_name(target.target.value) == "self":
                    found.append((method.name, target.target.attr.value, node.value))
    return found
