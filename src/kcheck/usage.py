"""How a class is used in its own module: where it is constructed, whether it is subclassed."""

from __future__ import annotations

from kcheck.facts import CallSite
from kcheck.project import ClassInfo, Project


def constructor_sites(project: Project, cls: ClassInfo) -> list[CallSite]:
    """Calls in the class's own module that construct it."""
    module = cls.module
    sites = []
    for site in module.facts.calls:
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


def is_abstract_base(project: Project, cls: ClassInfo) -> bool:
    """Only subclassed, never constructed in its module: it is never saved itself."""
    return not constructor_sites(project, cls) and is_subclassed(project, cls)


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
        if owner is None or project.class_info(cls.module, owner).kind is None:
            return False
    return True
