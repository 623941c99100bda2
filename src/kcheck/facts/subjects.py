"""The Keras object a module-level finding is about, as source the verifier can evaluate.

A finding such as "this lambda makes the model unloadable" points into a call like
``keras.layers.Lambda(lambda t: t + 1)`` or ``keras.layers.Dense(4, activation=twice)``; that
call builds a built-in layer the verifier can save and reload like any class.
"""

from __future__ import annotations

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.cst_walk import walk
from kcheck.facts.module import CallSite
from kcheck.facts.project import ModuleInfo, Project


def enclosing_keras_layer_call(project: Project, module: ModuleInfo,
                               node: cst.CSTNode) -> tuple[str, str] | None:
    """(canonical class name, call source) of the innermost built-in layer constructor call
    that contains *node*, or None."""
    best: tuple[int, str, str] | None = None
    for site, name, size, inside in _layer_calls(project, module):
        if id(node) in inside and (best is None or size < best[0]):
            source = module.tree.code_for_node(site.node).strip()
            if "\n" not in source:
                best = (size, name, source)
    return (best[1], best[2]) if best is not None else None


def _layer_calls(project: Project, module: ModuleInfo
                 ) -> list[tuple[CallSite, str, int, frozenset[int]]]:
    """The module's built-in layer constructor calls, each with its canonical class name, its
    number of nodes and their ids (itself included). Worked out once per checked module: every
    module-level finding asks, and walking every layer call of a large module for each one
    was quadratic. Kept on the module, so it goes with the module's tree."""
    found = module.memo.get("layer calls")
    if found is None:
        found = []
        for site in module.facts.calls:
            target = project.resolve(module, site.callee)
            if target.kind == "keras" and keras_names.class_kind(target.name) == "layer":
                inside = [id(inner) for inner in walk(site.node)]
                found.append((site, target.name, len(inside), frozenset(inside)))
        module.memo["layer calls"] = found
    return found
