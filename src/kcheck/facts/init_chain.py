"""What a class's ``__init__`` chain accepts, read through custom ancestors down to the Keras base.

``cls(**config)`` is how Keras rebuilds an object at load time, so whether a config key is
accepted decides whether loading works. Built-in parameters come from the generated table in
:mod:`kcheck.facts.keras_builtin_configs`.
"""

from __future__ import annotations

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.cst_walk import dotted_name, string_value, walk
from kcheck.facts.effective_config import LAYER_BASE_KEYS, builtin_entry
from kcheck.facts.module import FunctionFacts
from kcheck.facts.project import ClassInfo

# Keyword arguments Layer.__init__ pops from **kwargs itself (keras/src/layers/layer.py).
_LAYER_EXTRA_KWARGS = frozenset({"input_shape", "input_dim", "batch_size", "batch_input_shape"})


def mentions(function: FunctionFacts, name: str) -> bool:
    """*name* appears in the body as a variable, attribute, keyword or string literal."""
    for node in walk(function.node.body):
        kind = type(node)  # exact types: isinstance through libcst's ABCs is slow
        if kind is cst.Name and node.value == name:
            return True
        if kind is cst.Attribute and node.attr.value == name:
            return True
        if kind is cst.Arg and node.keyword is not None and node.keyword.value == name:
            return True
        if (kind is cst.SimpleString or kind is cst.ConcatenatedString) \
                and string_value(node) == name:
            return True
    return False


def super_init_calls(function: FunctionFacts, base_names: list[str]) -> list[cst.Call]:
    """``super().__init__(...)`` and ``Base.__init__(self, ...)`` calls in *function*."""
    found = []
    for call in function.calls:
        func = call.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "__init__":
            continue
        target = func.value
        if isinstance(target, cst.Call) and dotted_name(target.func) == "super":
            found.append(call)
        elif dotted_name(target) in base_names:
            found.append(call)
    return found


def _forwards_var_keyword(function: FunctionFacts, var_keyword: str, base_names) -> bool:
    for call in super_init_calls(function, base_names):
        for arg in call.args:
            if arg.star == "**" and isinstance(arg.value, cst.Name) \
                    and arg.value.value == var_keyword:
                return True
    return False


def builtin_accepts(base: str, kind: str | None, key: str) -> bool | None:
    """Does the built-in base's ``__init__`` take keyword *key*? None when unknown."""
    if kind in ("layer", "model") and (
            key in _LAYER_EXTRA_KWARGS
            or key in builtin_entry("keras.layers.Layer")["params"]):
        return True
    entry = builtin_entry(base)
    if entry is None:
        return None
    if key in entry["params"]:
        return True
    if base in ("keras.models.Model", "keras.Model"):
        return None  # Model.__init__ hands unknown keywords to Functional: unclear
    return False


def accepts_keyword(cls: ClassInfo, key: str) -> bool | None:
    """Whether ``cls(**{key: ...})`` reaches a parameter named *key*.

    True when some ``__init__`` on the way takes it (or swallows ``**kwargs`` without passing
    them on, or reads the key out of ``kwargs``), False when it is rejected, None when unknown.
    """
    if cls.unresolved:
        return None
    for owner in cls.lineage():
        init = owner.facts.method("__init__")
        if init is None:
            continue
        names = {p.name for p in init.params if p.kind != "var-positional"}
        if key in names:
            return True
        var_keyword = next((p.name for p in init.params if p.kind == "var-keyword"), None)
        if var_keyword is None:
            return False
        if mentions(init, key):
            return True  # kwargs.pop("key"), kwargs.get("key")
        if not _forwards_var_keyword(init, var_keyword, owner.facts.bases):
            return None  # kwargs kept or passed somewhere we do not follow
    base = cls.nearest_keras_base()
    if base is None:
        return None
    return builtin_accepts(base, cls.kind, key)


def kind_noun(kind: str | None) -> str:
    return {"schedule": "learning-rate schedule"}.get(kind or "", kind or "object")


def base_keys(kind: str | None) -> frozenset[str]:
    """Keys the Keras base config carries for a kind (models carry dtype too, as layers)."""
    if kind in ("layer", "model"):
        return LAYER_BASE_KEYS
    return keras_names.BASE_CONFIG_KEYS.get(kind or "", frozenset())
