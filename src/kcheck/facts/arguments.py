"""Judging what a constructor parameter receives: a basic value Keras 3 can record, or not.

Keras 3 records constructor arguments by itself only when every value is ``str``, ``int``,
``float``, ``bool`` or ``None`` (or nests of those); anything else makes the default
``get_config`` raise ``NotImplementedError`` at save time. This module reads defaults,
annotations, use in the class body and constructor calls in the same module.
"""

from __future__ import annotations

import libcst as cst

from kcheck.facts.cst_walk import dotted_name
from kcheck.facts.module import CallSite, Param
from kcheck.facts.project import ClassInfo, Project

_BASIC_TYPES = frozenset({"int", "float", "str", "bool", "None", "complex"})
_CONTAINERS = frozenset({"list", "tuple", "dict", "List", "Tuple", "Dict", "Sequence",
                         "Optional", "Union", "Literal", "typing.Optional", "typing.Union",
                         "typing.List", "typing.Tuple", "typing.Dict", "typing.Sequence",
                         "typing.Literal", "Mapping", "Iterable", "collections.abc.Sequence"})
_MODULE_CONSTANTS = frozenset({"pi", "e", "inf", "nan", "tau", "newaxis", "maxsize", "sep"})
_BASIC_CALLS = frozenset({"int", "float", "str", "bool", "len", "round", "min", "max", "abs",
                          "tuple", "list", "dict", "sum", "os.environ.get", "os.getenv"})


def is_basic_literal(node: cst.BaseExpression, constants: dict[str, cst.BaseExpression],
                     depth: int = 0) -> bool | None:
    """True for values Keras 3 auto-records, False for others, None when it cannot tell."""
    if depth > 6:
        return None
    if isinstance(node, (cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString,
                         cst.ConcatenatedString)):
        return True
    if isinstance(node, cst.FormattedString):
        return True
    if isinstance(node, cst.Name):
        if node.value in ("True", "False", "None"):
            return True
        if node.value in constants:
            return is_basic_literal(constants[node.value], constants, depth + 1)
        return None
    if isinstance(node, cst.UnaryOperation):
        return is_basic_literal(node.expression, constants, depth + 1)
    if isinstance(node, cst.BinaryOperation):
        left = is_basic_literal(node.left, constants, depth + 1)
        right = is_basic_literal(node.right, constants, depth + 1)
        return True if left and right else None
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        if isinstance(node, cst.Set):
            return False
        verdicts = [is_basic_literal(e.value, constants, depth + 1) for e in node.elements]
        if any(v is False for v in verdicts):
            return False
        return True if all(verdicts) else None
    if isinstance(node, cst.Dict):
        verdicts = [is_basic_literal(e.value, constants, depth + 1)
                    for e in node.elements if isinstance(e, cst.DictElement)]
        if any(v is False for v in verdicts):
            return False
        return True if all(verdicts) else None
    if isinstance(node, cst.Lambda):
        return False
    if isinstance(node, cst.Call):
        name = dotted_name(node.func)
        if name in _BASIC_CALLS:
            return True
        return None
    return None


def _annotation_is_basic(node: cst.BaseExpression) -> bool | None:
    if isinstance(node, cst.SimpleString):
        return None
    name = dotted_name(node)
    if name is not None:
        if name in _BASIC_TYPES:
            return True
        if name in ("Any", "typing.Any", "object"):
            return None
        if name[:1].isupper() or "." in name:
            return False  # a class: Layer, np.ndarray, Callable, keras.Model ...
        return None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        left, right = _annotation_is_basic(node.left), _annotation_is_basic(node.right)
        if left is False or right is False:
            return False
        return True if left and right else None
    if isinstance(node, cst.Subscript):
        outer = dotted_name(node.value)
        if outer in ("Callable", "typing.Callable", "collections.abc.Callable", "Type", "type"):
            return False
        if outer not in _CONTAINERS:
            return None
        if outer in ("Literal", "typing.Literal"):
            return True
        verdicts = []
        for element in node.slice:
            if isinstance(element.slice, cst.Index):
                value = element.slice.value
                if isinstance(value, cst.Ellipsis):
                    continue
                verdicts.append(_annotation_is_basic(value))
        if any(v is False for v in verdicts):
            return False
        return True if verdicts and all(verdicts) else None
    return None


def _describe_value(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Lambda):
        return "a lambda"
    if isinstance(node, cst.Call):
        name = dotted_name(node.func) or "a call"
        return f"{name}(...)"
    if isinstance(node, cst.Set):
        return "a set"
    name = dotted_name(node)
    return name or "a non-literal value"


def _value_is_object(project: Project, cls: ClassInfo, node: cst.BaseExpression) -> bool | None:
    """Judge an argument value written at a call site or as a default."""
    basic = is_basic_literal(node, cls.module.facts.constants)
    if basic is not None:
        return not basic
    if isinstance(node, cst.Call):
        name = dotted_name(node.func)
        if name is None:
            return None
        target = project.resolve(cls.module, name)
        if target.kind in ("keras", "class"):
            return True  # keras.layers.Dense(4), MyBlock(), keras.initializers.Zeros()
        if target.kind == "external" and target.name.split(".")[0] in ("numpy", "np", "jax"):
            return True
        return None
    name = dotted_name(node)
    if name is not None:
        target = project.resolve(cls.module, name)
        if target.kind in ("function", "class"):
            return True  # a function or class object passed as a value
        last = name.split(".")[-1]
        if target.kind == "keras" and last[:1].islower():
            return True  # keras.activations.relu, keras.ops.tanh ...
        if (target.kind == "external" and "." in name and last[:1].islower()
                and last not in _MODULE_CONSTANTS):
            return True  # tf.nn.relu, np.tanh, np.float32: functions and types from libraries
    return None


def judge_param(project: Project, cls: ClassInfo, param: Param,
                sites: list[CallSite]) -> str | None:
    """Why *param* receives a value Keras 3 cannot record, or None when nothing says so."""
    if param.annotation is not None and _annotation_is_basic(param.annotation) is False:
        annotation = dotted_name(param.annotation) or "a non-basic type"
        if isinstance(param.annotation, cst.Subscript):
            annotation = (dotted_name(param.annotation.value) or "a type") + "[...]"
        return f"is annotated {annotation}"
    if param.default is not None and _value_is_object(project, cls, param.default):
        return f"defaults to {_describe_value(param.default)}"
    if _is_called(cls, param.name):
        return "is called like a layer or function in the class body"
    position = _positional_index(cls, param.name)
    for site in sites:
        value = _argument_for(site.node, param.name, position)
        if value is not None and _value_is_object(project, cls, value):
            return f"receives {_describe_value(value)} at a call in this module"
    return None


def _positional_index(cls: ClassInfo, name: str) -> int | None:
    found = cls.find_method("__init__")
    if found is None:
        return None
    positional = [p.name for p in found[1].params if p.kind in ("positional-only", "positional")]
    return positional.index(name) if name in positional else None


def _argument_for(call: cst.Call, name: str, position: int | None) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    if position is not None and position < len(positional):
        return positional[position].value
    return None


def _is_called(cls: ClassInfo, param_name: str) -> bool:
    """The parameter, or a ``self.`` attribute holding it, is called in some method."""
    owner_init = cls.find_method("__init__")
    if owner_init is None:
        return False
    init = owner_init[1]
    held_in = {attr for attr, value in init.self_assignments.items()
               if isinstance(value, cst.Name) and value.value == param_name}
    called = {f"self.{attr}" for attr in held_in} | {param_name}
    for owner in cls.lineage():
        for method in owner.facts.methods.values():
            names = method.called_names()
            if method is init:
                if param_name in names:
                    return True
            elif names & called - {param_name}:
                return True
    return False
