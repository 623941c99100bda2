"""Functions and lambdas a module hands to Keras where Keras will serialize them.

Keras saves a callable passed as ``activation=``, ``loss=``, ``metrics=[...]``,
``*_initializer=``, ``*_regularizer=``, ``*_constraint=`` or to ``keras.layers.Lambda`` /
``keras.layers.Activation`` by name (a plain function) or as Python bytecode (a lambda), so at
load time the name must be registered and the bytecode must be allowed. This module finds those
arguments at calls whose callee is a Keras constructor, or a ``.compile(...)`` method call.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.cst_walk import dotted_name
from kcheck.facts.project import ModuleInfo, Project, Resolved

_CALLABLE_KEYWORDS = frozenset({"activation", "recurrent_activation", "loss", "metrics",
                                "weighted_metrics"})
_CALLABLE_SUFFIXES = ("_initializer", "_regularizer", "_constraint")
_COMPILE_KEYWORDS = frozenset({"loss", "metrics", "weighted_metrics"})
# Keras layers whose first positional argument (or ``function=``) is the callable itself.
_FIRST_ARGUMENT_IS_CALLABLE = {"keras.layers.Lambda": "function",
                               "keras.layers.Activation": "activation"}
# Other built-ins that store a function argument in their config and look it up by name at
# load (measured, issue 13): keyword -> its position. Only named functions are collected from
# these slots; what a lambda there does was not measured. (Lambda's mask= round-trips.)
_STORED_FUNCTION_ARGUMENTS = {
    "keras.layers.Lambda": {"output_shape": 1},
    "keras.metrics.MeanMetricWrapper": {"fn": 0},
    "keras.layers.TextVectorization": {"standardize": 1, "split": 2},
}
_OPTIMIZERS = "keras.optimizers."


@dataclass(frozen=True)
class CallableArgument:
    """One callable value handed to Keras."""

    keyword: str  # "activation", "loss", "function", ...
    callee: str  # the call as written: "keras.layers.Dense", "model.compile"
    value: cst.BaseExpression  # the Name, Attribute or Lambda node
    target: Resolved | None  # what a named value resolves to; None for a lambda


def _is_callable_keyword(name: str) -> bool:
    return name in _CALLABLE_KEYWORDS or name.endswith(_CALLABLE_SUFFIXES)


def callable_slots(canonical: str) -> tuple[frozenset[str], bool]:
    """For a Keras constructor: the keywords :func:`find_callable_arguments` reads a callable
    from besides ``*_initializer``-style ones, and whether it reads positional arguments too
    (the cheap pass, kcheck.facts.relevance, asks this of calls it has not parsed)."""
    keywords = set(_STORED_FUNCTION_ARGUMENTS.get(canonical, {}))
    first = _FIRST_ARGUMENT_IS_CALLABLE.get(canonical)
    if first is not None:
        keywords.add(first)
    optimizer = canonical.startswith(_OPTIMIZERS) and canonical.count(".") == 2 and \
        canonical.split(".")[-1][:1].isupper()
    if optimizer:
        keywords.add("learning_rate")
    positional = first is not None or canonical in _STORED_FUNCTION_ARGUMENTS or optimizer
    return frozenset(keywords), positional


def is_callable_keyword(name: str) -> bool:
    """A keyword whose value Keras saves as a function (``activation``, ``*_initializer``)."""
    return _is_callable_keyword(name)


def _values(node: cst.BaseExpression):
    """The callables inside a value: itself, list/tuple elements, dict values (loss={...})."""
    if isinstance(node, (cst.List, cst.Tuple)):
        for element in node.elements:
            yield from _values(element.value)
    elif isinstance(node, cst.Dict):
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                yield from _values(element.value)
    elif isinstance(node, (cst.Name, cst.Attribute, cst.Lambda)):
        yield node


def find_callable_arguments(project: Project, module: ModuleInfo) -> list[CallableArgument]:
    """Every function or lambda the module passes to Keras in a serialized slot."""
    found: list[CallableArgument] = []
    for site in module.facts.calls:
        call = site.node
        callee = site.callee
        if callee.endswith("()"):
            continue
        is_compile = isinstance(call.func, cst.Attribute) and call.func.attr.value == "compile"
        canonical = None
        if not is_compile:
            target = project.resolve(module, callee)
            if target.kind != "keras" or not keras_names.is_keras_constructor(target.name):
                continue
            canonical = target.name
        slots: list[tuple[str, cst.BaseExpression]] = []
        for index, arg in enumerate(call.args):
            if arg.star:
                continue
            if arg.keyword is not None:
                keyword = arg.keyword.value
                wanted = keyword in _COMPILE_KEYWORDS if is_compile else (
                    _is_callable_keyword(keyword)
                    or keyword == _FIRST_ARGUMENT_IS_CALLABLE.get(canonical or ""))
                if wanted:
                    slots.append((keyword, arg.value))
            elif index == 0 and canonical in _FIRST_ARGUMENT_IS_CALLABLE:
                slots.append((_FIRST_ARGUMENT_IS_CALLABLE[canonical], arg.value))
        named_only = _stored_function_slots(canonical, call) if canonical else []
        for keyword, value in named_only:
            for node in _values(value):
                name = None if isinstance(node, cst.Lambda) else dotted_name(node)
                if name is not None:
                    found.append(CallableArgument(keyword, callee, node,
                                                  project.resolve(module, name)))
        for keyword, value in slots:
            for node in _values(value):
                if isinstance(node, cst.Lambda):
                    found.append(CallableArgument(keyword, callee, node, None))
                    continue
                name = dotted_name(node)
                if name is None:
                    continue
                found.append(CallableArgument(keyword, callee, node,
                                              project.resolve(module, name)))
    return found


def _stored_function_slots(canonical: str, call: cst.Call) -> list[tuple[str, cst.BaseExpression]]:
    """The arguments of a built-in call that it stores as a function (see above)."""
    wanted = dict(_STORED_FUNCTION_ARGUMENTS.get(canonical, {}))
    if canonical.startswith(_OPTIMIZERS) and canonical.count(".") == 2 and \
            canonical.split(".")[-1][:1].isupper():
        wanted["learning_rate"] = 0 if not canonical.endswith("LossScaleOptimizer") else -1
    if not wanted:
        return []
    slots = []
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    for keyword, position in wanted.items():
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                slots.append((keyword, arg.value))
        if 0 <= position < len(positional):
            slots.append((keyword, positional[position].value))
    return slots
