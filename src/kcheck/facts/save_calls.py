"""Calls that save a Keras model or its weights, with what is known of the file path.

``model.save(...)``, ``model.save_weights(...)`` and ``keras.saving.save_model(model, ...)``.
``.save`` is a common method name (``np.save``, ``fig.save``, PIL images, gensim models), so a
method call counts only when its receiver is plausibly a Keras model:

- a name assigned from a Keras model constructor (``keras.Sequential``, ``keras.Model``,
  ``keras.applications.*``), from ``load_model``/``clone_model``, or from a model class of the
  tree;
- ``self`` inside a Keras model class of the tree;
- a name whose last part contains ``model`` (``model``, ``self.model``, ``best_model``) and that
  is never assigned from a non-Keras call, in a module that imports Keras.

Of the path, only the literal *tail* matters (the extension): it is read from string literals,
the last piece of an f-string or a ``+`` concatenation, the last argument of
``os.path.join``/``posixpath.join``, the right side of ``pathlib`` ``/``, and module constants.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.cst_walk import dotted_name, string_value, walk
from kcheck.facts.project import ModuleInfo, Project

_MODEL_FUNCTIONS = frozenset({
    "keras.models.load_model", "keras.saving.load_model", "keras.models.clone_model",
    "keras.models.model_from_json", "keras.models.model_from_config",
})
_SAVE_FUNCTIONS = frozenset({"keras.saving.save_model", "keras.models.save_model"})
_JOIN_FUNCTIONS = frozenset({"os.path.join", "posixpath.join", "ntpath.join"})


@dataclass(frozen=True)
class SaveCall:
    """One call that writes a model (``save``) or its weights (``save_weights``)."""

    kind: str  # "save" | "save_weights"
    call: cst.Call
    callee: str  # as written: "model.save", "keras.saving.save_model"
    path: cst.BaseExpression | None
    tail: str | None  # the literal end of the path, when it can be read
    keywords: frozenset[str]


def _imports_keras(project: Project, module: ModuleInfo) -> bool:
    for local in module.facts.imports.bindings:
        target = project.resolve(module, local)
        if target.kind == "keras":
            return True
    return False


def _assignments(module: ModuleInfo) -> dict[str, list[str | None]]:
    """Dotted target -> the callee (dotted name, or None) of every value assigned to it
    anywhere in the module."""
    if module.facts.assignments is not None:
        return module.facts.assignments  # read from the whole file's ast
    found: dict[str, list[str | None]] = {}
    for node in walk(module.tree):
        if isinstance(node, cst.Assign):
            targets, value = [target.target for target in node.targets], node.value
        elif isinstance(node, cst.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        callee = dotted_name(value.func) if isinstance(value, cst.Call) else None
        for target in targets:
            name = dotted_name(target)
            if name is not None:
                found.setdefault(name, []).append(callee)
    return found


def _value_kind(project: Project, module: ModuleInfo, callee: str | None) -> str:
    """"keras" when a value calling *callee* makes a Keras model, "other" when it is some
    other call, else "?"."""
    if callee is None:
        return "?"
    target = project.resolve(module, callee)
    if target.kind == "keras":
        if target.name in _MODEL_FUNCTIONS or keras_names.class_kind(target.name) == "model" \
                or (target.name.startswith("keras.applications.")
                    and target.name.split(".")[-1][:1].isupper()):
            return "keras"
        return "other"
    if target.kind == "class" and target.module is not None and target.cls is not None:
        return "keras" if project.class_info(target.module, target.cls).kind == "model" \
            else "other"
    if target.kind == "external":
        return "other"
    return "?"


def _is_keras_model(project: Project, module: ModuleInfo, receiver: cst.BaseExpression,
                    class_name: str | None, assignments, imports_keras: bool) -> bool:
    name = dotted_name(receiver)
    if name is None:
        return False
    if name == "self":
        owner = module.facts.classes.get(class_name or "")
        return owner is not None and project.class_info(module, owner).kind == "model"
    kinds = {_value_kind(project, module, callee) for callee in assignments.get(name, [])}
    if "keras" in kinds:
        return True
    if "other" in kinds:
        return False
    if name.split(".")[0] in module.facts.imports.bindings and \
            project.resolve(module, name).kind in ("external", "keras"):
        return False  # a module or an imported object (tf.saved_model), not a model variable
    return imports_keras and "model" in name.split(".")[-1].lower()


def path_tail(node: cst.BaseExpression | None, module: ModuleInfo, depth: int = 0) -> str | None:
    """The literal end of a path expression, or None when it is not written out."""
    if node is None or depth > 6:
        return None
    text = string_value(node)
    if text is not None:
        return text
    if isinstance(node, cst.FormattedString):
        last = node.parts[-1] if node.parts else None
        if isinstance(last, cst.FormattedStringText):
            return last.value
        return None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Divide)):
        return path_tail(node.right, module, depth + 1)
    if isinstance(node, cst.Call):
        name = dotted_name(node.func)
        positional = [a for a in node.args if a.keyword is None and not a.star]
        if name in _JOIN_FUNCTIONS or (name and name.split(".")[-1] == "join"
                                       and name.startswith(("os.path", "path"))):
            return path_tail(positional[-1].value, module, depth + 1) if positional else None
        if name in ("str", "Path", "pathlib.Path", "os.fspath") and len(positional) == 1:
            return path_tail(positional[0].value, module, depth + 1)
        return None
    if isinstance(node, cst.Name) and node.value in module.facts.constants:
        return path_tail(module.facts.constants[node.value], module, depth + 1)
    return None


def _argument(call: cst.Call, keyword: str, position: int) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == keyword:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    return positional[position].value if position < len(positional) else None


def find_save_calls(project: Project, module: ModuleInfo) -> list[SaveCall]:
    """Every call in *module* that saves a Keras model or its weights (see module docstring)."""
    found: list[SaveCall] = []
    assignments = None
    imports_keras = None
    for site in module.facts.calls:
        call = site.node
        keywords = frozenset(a.keyword.value for a in call.args if a.keyword is not None)
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("save", "save_weights"):
            if assignments is None:
                assignments = _assignments(module)
                imports_keras = _imports_keras(project, module)
            if not _is_keras_model(project, module, func.value, site.class_name, assignments,
                                   bool(imports_keras)):
                continue
            path = _argument(call, "filepath", 0)
            found.append(SaveCall(func.attr.value, call, site.callee, path,
                                  path_tail(path, module), keywords))
        elif site.callee.split(".")[0] in module.facts.imports.bindings:
            target = project.resolve(module, site.callee)
            if target.kind == "keras" and target.name in _SAVE_FUNCTIONS:
                path = _argument(call, "filepath", 1)
                found.append(SaveCall("save", call, site.callee, path, path_tail(path, module),
                                      keywords))
    return found
