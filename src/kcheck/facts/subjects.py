"""The Keras object a module-level finding is about, as source the verifier can evaluate.

A finding such as "this lambda makes the model unloadable" points into a call like
``keras.layers.Lambda(lambda t: t + 1)`` or ``keras.layers.Dense(4, activation=twice)``; that
call builds a built-in layer the verifier can save and reload like any class.
"""

from __future__ import annotations

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.cst_walk import walk
from kcheck.facts.project import ModuleInfo, Project


def enclosing_keras_layer_call(project: Project, module: ModuleInfo,
                               node: cst.CSTNode) -> tuple[str, str] | None:
    """(canonical class name, call source) of the innermost built-in layer constructor call
    that contains *node*, or None."""
    best: tuple[int, str, str] | None = None
    for site in module.facts.calls:
        target = project.resolve(module, site.callee)
        if target.kind != "keras" or keras_names.class_kind(target.name) != "layer":
            continue
        size = 0
        found = False
        for inner in walk(site.node):
            size += 1
            found = found or inner is node
        if found and (best is None or size < best[0]):
            source = module.tree.code_for_node(site.node).strip()
            if "\n" not in source:
                best = (size, target.name, source)
    return (best[1], best[2]) if best is not None else None
