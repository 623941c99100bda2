"""How a class is used in its own module: where it is constructed, whether it is subclassed."""

from __future__ import annotations

import re

from kcheck.facts import keras_names
from kcheck.facts.cst_walk import dotted_name
from kcheck.facts.module import CallSite
from kcheck.facts.project import ClassInfo, Project


def constructor_sites(project: Project, cls: ClassInfo) -> list[CallSite]:
    """Calls in the class's own module that construct it."""
    module = cls.module
    sites = []
    for site in module.facts.calls_named(cls.name):
        if site.callee == cls.name or site.callee.endswith("." + cls.name):
            target = project.resolve(module, site.callee)
            if target.kind == "class" and target.cls is cls.facts:
                sites.append(site)
    return sites


def is_subclassed(project: Project, cls: ClassInfo) -> bool:
    """Another class of the same module inherits from *cls*."""
    module = cls.module
    for other in module.facts.classes.values():
        if other is cls.facts:
            continue
        info = project.class_info(module, other)
        if any(ancestor.facts is cls.facts for ancestor in info.ancestors):
            return True
    return False


_BASE_NAME = re.compile(r"^(Base|Abstract)|(Base|Mixin)$")


def is_abstract_base(project: Project, cls: ClassInfo) -> bool:
    """Never constructed in its module and meant to be subclassed: subclassed there, named as a
    base (``ResidualBase``, ``AbstractBlock``, ``ScaleMixin``) or with abstract methods. Such a
    class is never saved itself; its subclasses are checked instead."""
    if constructor_sites(project, cls):
        return False
    if _BASE_NAME.search(cls.name) or any(
            "abstractmethod" in decorator for method in cls.facts.methods.values()
            for decorator in method.decorators):
        return True
    return is_subclassed(project, cls)


def only_built_by_other_classes(project: Project, cls: ClassInfo,
                                sites: list[CallSite] | None = None) -> bool:
    """Every construction happens in another Keras class's ``__init__`` or ``build``: that class
    rebuilds (and builds) this one itself, so Keras never looks it up or builds it at load."""
    sites = constructor_sites(project, cls) if sites is None else sites
    if not sites:
        return False
    for site in sites:
        if site.class_name is None or site.class_name == cls.name or \
                site.function_name not in ("__init__", "build"):
            return False
        owner = cls.module.facts.classes.get(site.class_name)
        if owner is None:
            return False
        owner_info = project.class_info(cls.module, owner)
        if owner_info.kind is None or _config_serializes_objects(project, owner_info):
            return False
    return True


def _config_serializes_objects(project: Project, cls: ClassInfo) -> bool:
    """The owner's get_config puts nested objects in its config, so they are looked up by name
    at load time after all."""
    found = cls.find_method("get_config")
    if found is None:
        return False
    owner, method = found
    for call in method.calls:
        name = dotted_name(call.func)
        if name is None:
            continue
        target = project.resolve(owner.module, name)
        if target.kind == "keras" and keras_names.is_serializer(target.name):
            return True
    return False
