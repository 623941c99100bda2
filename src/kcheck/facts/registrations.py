"""Which classes of a module Keras can find by name at load time.

Registration forms recognised, each in any import spelling:
``@register_keras_serializable(...)``, ``register_keras_serializable(...)(Cls)``,
``get_custom_objects()[...] = Cls``, ``get_custom_objects().update({...: Cls})``, a project
decorator whose own body calls ``register_keras_serializable`` (a function, a decorator factory,
or a class whose ``__call__`` does it: keras-hub's and keras-rs's ``export``), and names passed in
``custom_objects=`` or to ``custom_object_scope(...)`` / ``CustomObjectScope(...)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.cst_walk import dotted_name, walk
from kcheck.facts.module import FunctionFacts
from kcheck.facts.project import ModuleInfo, Project


@dataclass
class Registrations:
    """Names of a module's classes and functions that Keras can look up, and how."""

    registered: dict[str, str] = field(default_factory=dict)  # name -> how
    # name -> list of (package, registered name or None when derived from the class name)
    registered_names: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def how(self, name: str) -> str | None:
        return self.registered.get(name)


def _resolves_to(project: Project, module: ModuleInfo, dotted: str | None, test) -> bool:
    if dotted is None:
        return False
    target = project.resolve(module, dotted)
    return target.kind == "keras" and test(target.name)


def is_registering_decorator(project: Project, module: ModuleInfo, dotted: str,
                             extra: frozenset[str] = frozenset(), depth: int = 0) -> bool:
    """True for ``register_keras_serializable`` in any spelling, a configured extra decorator,
    or a function of the tree whose body calls one of those (for a class used as a decorator,
    ``@export("pkg.Name")``, its ``__call__`` is that body)."""
    if dotted in extra:
        return True
    target = project.resolve(module, dotted)
    if target.kind == "keras":
        return keras_names.is_register_function(target.name)
    if target.kind == "external":
        return target.name in extra
    if target.kind == "class" and target.cls is not None and \
            target.cls.method("__call__") is None:
        return False  # only a __call__ of its own registers (an outline knows its methods)
    if target.kind in ("function", "class") and depth < 4:
        target = project.definition(target)  # its body is read: parse it if need be
    if target.kind == "function" and target.function is not None and depth < 4:
        return _body_registers(project, target.module or module, target.function, extra, depth)
    if target.kind == "class" and target.cls is not None and depth < 4:
        call = target.cls.method("__call__")
        return call is not None and _body_registers(project, target.module or module, call,
                                                    extra, depth)
    return False


def _body_registers(project: Project, module: ModuleInfo, function: FunctionFacts,
                    extra: frozenset[str], depth: int) -> bool:
    for call in function.calls:
        name = dotted_name(call.func)
        if name is None and isinstance(call.func, cst.Call):
            name = dotted_name(call.func.func)
        if name and name != function.name and is_registering_decorator(
                project, module, name, extra, depth + 1):
            return True
    # A decorator factory returns an inner function that does the registering.
    for node in walk(function.node.body):
        if isinstance(node, cst.FunctionDef):
            for inner in walk(node.body):
                if isinstance(inner, cst.Call):
                    name = dotted_name(inner.func)
                    if name and is_registering_decorator(project, module, name, extra, depth + 1):
                        return True
    return False


def _names_in_mapping(value: cst.BaseExpression, module: ModuleInfo) -> list[str]:
    """Class names used as values of a dict literal, ``dict(...)`` call or module constant."""
    if isinstance(value, cst.Name) and value.value in module.facts.constants:
        value = module.facts.constants[value.value]
    names = []
    if isinstance(value, cst.Dict):
        for element in value.elements:
            if isinstance(element, cst.DictElement):
                name = dotted_name(element.value)
                if name:
                    names.append(name)
            else:
                names.extend(_names_in_mapping(element.value, module))
    elif isinstance(value, cst.Call) and dotted_name(value.func) == "dict":
        for arg in value.args:
            name = dotted_name(arg.value)
            if name:
                names.append(name)
    return names


def find_registrations(project: Project, module: ModuleInfo,
                       extra_decorators: frozenset[str] = frozenset()) -> Registrations:
    """Collect every registration in *module* (see the module docstring for the forms)."""
    found = Registrations()
    facts = module.facts
    decorated = [(cls.name, cls.decorators) for cls in facts.classes.values()]
    decorated += [(f.name, f.node.decorators) for f in facts.functions.values()]
    for owner, decorators in decorated:
        for decorator in decorators:
            target = decorator.decorator
            call = target if isinstance(target, cst.Call) else None
            name = dotted_name(call.func if call is not None else target)
            if name and is_registering_decorator(project, module, name, extra_decorators):
                found.registered[owner] = f"decorated with @{name}"
                found.registered_names.setdefault(owner, []).append(
                    _registered_name(call, owner))
    for site in facts.calls:
        callee = site.callee
        if callee.endswith("()"):
            inner = callee[:-2]
            if is_registering_decorator(project, module, inner, extra_decorators):
                for arg in site.node.args:
                    name = dotted_name(arg.value)
                    if name:
                        found.registered[name] = f"registered by {inner}(...)({name})"
                        inner_call = site.node.func
                        found.registered_names.setdefault(name, []).append(
                            _registered_name(inner_call if isinstance(inner_call, cst.Call)
                                             else None, name))
            continue
        target = project.resolve(module, callee) if "." in callee or callee in \
            facts.imports.bindings else None
        is_scope = target is not None and target.kind == "keras" and \
            keras_names.is_custom_object_scope(target.name)
        for arg in site.node.args:
            if (arg.keyword is not None and arg.keyword.value == "custom_objects") or \
                    (is_scope and arg.keyword is None):
                for name in _names_in_mapping(arg.value, module):
                    found.registered.setdefault(name, f"named in custom_objects at {callee}()")
        if (isinstance(site.node.func, cst.Attribute) and site.node.func.attr.value == "update"
                and isinstance(site.node.func.value, cst.Call)
                and _resolves_to(project, module, dotted_name(site.node.func.value.func),
                                 keras_names.is_custom_object_getter)):
            for arg in site.node.args:
                for name in _names_in_mapping(arg.value, module):
                    found.registered.setdefault(name, "added to get_custom_objects()")
    for subscript, value in facts.subscript_assignments:
        if isinstance(subscript.value, cst.Call) and _resolves_to(
                project, module, dotted_name(subscript.value.func),
                keras_names.is_custom_object_getter):
            name = dotted_name(value)
            if name and _key_can_match(subscript, name):
                found.registered.setdefault(name, "added to get_custom_objects()")
    return found


def _key_can_match(subscript: cst.Subscript, name: str) -> bool:
    """Keras looks the class up under its bare name: a literal key like ``"pkg>Name"`` does not
    register it (measured, Keras 3.15). A computed key may be right, so it counts."""
    if len(subscript.slice) != 1 or not isinstance(subscript.slice[0].slice, cst.Index):
        return True
    key = subscript.slice[0].slice.value
    text = key.evaluated_value if isinstance(key, cst.SimpleString) else None
    return not isinstance(text, str) or text == name.split(".")[-1]


def _registered_name(call: cst.Call | None, default_name: str) -> tuple[str, str]:
    """(package, name) a ``register_keras_serializable`` call registers under."""
    package, name = "Custom", default_name
    if call is not None:
        for index, arg in enumerate(call.args):
            value = arg.value
            text = value.evaluated_value if isinstance(value, cst.SimpleString) else None
            if not isinstance(text, str):
                continue
            keyword = arg.keyword.value if arg.keyword is not None else None
            if keyword == "package" or (keyword is None and index == 0):
                package = text
            elif keyword == "name" or (keyword is None and index == 1):
                name = text
    return package, name
