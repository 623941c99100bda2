"""Calls that read a saved model back, and checkpoint callbacks, with what is known of the path.

- ``keras.models.load_model(path)`` / ``keras.saving.load_model(path)``;
- ``model.load_weights(path)`` on a receiver that is plausibly a Keras model (the same test as
  ``model.save`` in :mod:`kcheck.facts.save_calls`);
- ``keras.callbacks.ModelCheckpoint(path, ..., save_weights_only=...)``.

As for saving, only the literal *tail* of the path is read (see
:func:`kcheck.facts.save_calls.path_tail`). A module that writes a model as a folder
(``save(..., zipped=False)``) or uses Orbax checkpoints can load paths without an extension;
:func:`loads_folders` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from kcheck.facts.project import ModuleInfo, Project
from kcheck.facts.save_calls import (
    _argument,
    _assignments,
    _imports_keras,
    _is_keras_model,
    find_save_calls,
    path_tail,
)

_LOAD_FUNCTIONS = frozenset({"keras.models.load_model", "keras.saving.load_model"})
_CHECKPOINT = "keras.callbacks.ModelCheckpoint"
# ModelCheckpoint(filepath, monitor, verbose, save_best_only, save_weights_only, ...)
_WEIGHTS_ONLY_POSITION = 4


@dataclass(frozen=True)
class PathCall:
    """One call that reads (``load_model``, ``load_weights``) or will write (``checkpoint``)
    a model file."""

    kind: str  # "load_model" | "load_weights" | "checkpoint"
    call: cst.Call
    callee: str  # as written
    path: cst.BaseExpression | None
    tail: str | None  # the literal end of the path, when it can be read
    # ModelCheckpoint only: True / False when save_weights_only is written as a literal (or
    # left out: False), None when it is an expression.
    weights_only: bool | None = None


def _literal_bool(node: cst.BaseExpression | None) -> bool | None:
    if node is None:
        return False
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return node.value == "True"
    return None


def find_path_calls(project: Project, module: ModuleInfo) -> list[PathCall]:
    """Every load_model / load_weights / ModelCheckpoint call in *module*."""
    found: list[PathCall] = []
    assignments = None
    imports_keras = None
    for site in module.facts.calls:
        call = site.node
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "load_weights":
            if assignments is None:
                assignments = _assignments(module)
                imports_keras = _imports_keras(project, module)
            if not _is_keras_model(project, module, func.value, site.class_name, assignments,
                                   bool(imports_keras)):
                continue
            path = _argument(call, "filepath", 0)
            found.append(PathCall("load_weights", call, site.callee, path,
                                  path_tail(path, module)))
            continue
        if site.callee.split(".")[0] not in module.facts.imports.bindings:
            continue
        target = project.resolve(module, site.callee)
        if target.kind != "keras":
            continue
        if target.name in _LOAD_FUNCTIONS:
            path = _argument(call, "filepath", 0)
            found.append(PathCall("load_model", call, site.callee, path, path_tail(path, module)))
        elif target.name == _CHECKPOINT:
            if any(arg.star for arg in call.args):
                continue  # **options: save_weights_only may be in there
            path = _argument(call, "filepath", 0)
            weights_only = _literal_bool(
                _argument(call, "save_weights_only", _WEIGHTS_ONLY_POSITION))
            found.append(PathCall("checkpoint", call, site.callee, path, path_tail(path, module),
                                  weights_only))
    return found


def loads_folders(project: Project, module: ModuleInfo) -> bool:
    """True when the module saves a model as a folder (``zipped=False``) or uses Orbax
    checkpoints: then a load path without an extension can be a valid Keras folder."""
    for save in find_save_calls(project, module):
        for arg in save.call.args:
            if arg.keyword is not None and arg.keyword.value == "zipped":
                return True
    for site in module.facts.calls:
        if "orbax" in site.callee.lower():
            return True
    for local in module.facts.imports.bindings:
        if "orbax" in local.lower():
            return True
    return False
