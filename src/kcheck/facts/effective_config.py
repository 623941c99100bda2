"""Which keys the get_config() a class actually runs returns: its own, a custom ancestor's, or a
built-in Keras base's, followed through ``super().get_config()`` merges.

Built-in keys come from :mod:`kcheck.facts.keras_builtin_configs`, generated from the installed
Keras (docs/measurements/keras_builtin_configs.py). Whenever any link of the chain cannot be read
the result is marked incomplete, and rules that need the full key set stay silent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.config_dict import ConfigFacts
from kcheck.facts.keras_builtin_configs import BUILTIN_CLASSES, GET_CONFIG_RAISES
from kcheck.facts.project import ClassInfo

_FAMILIES = ("layers", "models", "losses", "metrics", "initializers", "regularizers",
             "constraints", "optimizers", "optimizers.schedules")


# What Layer.get_config returns to a subclass that overrides get_config and calls super() (models
# too: Model inherits it), keras/src/layers/layer.py; activity_regularizer only when set.
LAYER_BASE_KEYS = frozenset({"name", "trainable", "dtype", "activity_regularizer"})

_FAMILY_ROOTS = frozenset({"Layer", "Model", "Sequential", "Functional", "Loss", "Metric",
                           "Initializer", "Regularizer", "Constraint", "Optimizer",
                           "LearningRateSchedule"})


@dataclass
class EffectiveConfig:
    """The keys the effective get_config returns, and who writes them."""

    keys: set[str] = field(default_factory=set)
    complete: bool = True
    owner: ClassInfo | None = None  # custom class whose get_config runs first, if any
    own: ConfigFacts | None = None  # what that get_config returns itself
    builtin: str | None = None  # canonical Keras base whose get_config ends the chain
    raises: bool = False  # the chain calls a built-in get_config that raises

    @property
    def source(self) -> str:
        """``Affine.get_config()`` or ``Dense.get_config()``, for messages."""
        if self.owner is not None:
            return f"{self.owner.name}.get_config()"
        return f"{(self.builtin or 'the base').split('.')[-1]}.get_config()"


def is_family_root(name: str) -> bool:
    """``keras.losses.Loss``, ``keras.Layer``, ...: the abstract base of a family of classes."""
    return name.rsplit(".", 1)[-1] in _FAMILY_ROOTS


def builtin_entry(name: str) -> dict | None:
    """The generated table entry for a canonical Keras class name (``keras.Layer`` too)."""
    entry = BUILTIN_CLASSES.get(name)
    if entry is None and name.count(".") == 1:
        short = name.split(".")[1]
        for family in _FAMILIES:
            entry = BUILTIN_CLASSES.get(f"keras.{family}.{short}")
            if entry is not None:
                break
    return entry


def get_config_raises(name: str) -> bool:
    """True when the built-in *name*'s get_config raises NotImplementedError (measured)."""
    if name in GET_CONFIG_RAISES:
        return True
    if name.count(".") == 1:  # keras.Regularizer and other top-level spellings
        short = name.split(".")[1]
        return any(f"keras.{family}.{short}" in GET_CONFIG_RAISES for family in _FAMILIES)
    return False


def builtin_keys(name: str, kind: str | None) -> set[str] | None:
    """Keys a built-in base's get_config returns to a subclass that overrides get_config and
    calls super(); None when unknown.

    For auto-config bases (Layer, Model) that is only the base keys (name, trainable, dtype):
    the recorded constructor arguments are used only when the subclass has no get_config.
    A built-in's own parameters count as carried, since some keys are emitted only in some
    configurations (Dense's lora_rank).
    """
    if keras_names.base_for_auto_config(name) or name in ("keras.models.Model", "keras.Model"):
        return set(LAYER_BASE_KEYS)
    entry = builtin_entry(name)
    if entry is None or entry["config_keys"] is None:
        return None
    return set(entry["config_keys"]) | set(entry["params"])


def _above(cls: ClassInfo, owner: ClassInfo) -> tuple[ClassInfo | None, str | None]:
    """What ``super().get_config()`` inside *owner* reaches: a custom ancestor or a built-in."""
    for ancestor in owner.ancestors:
        if ancestor.facts.method("get_config") is not None:
            return ancestor, None
    return None, owner.nearest_keras_base() or cls.nearest_keras_base()


def effective_config(cls: ClassInfo) -> EffectiveConfig | None:
    """The key set of *cls*'s effective get_config; None when Keras generates it (auto-config
    layers and models without any get_config) or the class is not a Keras class."""
    if cls.kind is None:
        return None
    found = cls.find_method("get_config")
    result = EffectiveConfig(complete=not cls.unresolved)
    if found is None:
        base = cls.nearest_keras_base()
        if base is None:
            return None
        if keras_names.base_for_auto_config(base) or base in ("keras.models.Model",
                                                              "keras.Model"):
            return None
        result.builtin = base
        keys = builtin_keys(base, cls.kind)
        if get_config_raises(base):
            result.raises = True
        if keys is None:
            result.complete = False
        else:
            result.keys = keys
        return result
    owner = found[0]
    result.owner = owner
    result.own = owner.facts.config()
    _follow(cls, owner, result, depth=0)
    return result


def _follow(cls: ClassInfo, owner: ClassInfo, result: EffectiveConfig, depth: int) -> None:
    config = owner.facts.config()
    if config is None or depth > 12:
        result.complete = False
        return
    value = config.value
    result.keys.update(value.keys)
    if not value.complete:
        result.complete = False
    if not value.merges_super:
        return
    ancestor, builtin = _above(cls, owner)
    if ancestor is not None:
        _follow(cls, ancestor, result, depth + 1)
        return
    if builtin is None:
        result.complete = False
        return
    result.builtin = builtin
    if get_config_raises(builtin):
        result.raises = True
    keys = builtin_keys(builtin, cls.kind)
    if keys is None:
        result.complete = False
    else:
        result.keys.update(keys)


def held_in_attribute(init_assignments: dict[str, cst.BaseExpression], param: str) -> str | None:
    """The ``self.`` attribute that stores parameter *param* unchanged, if any."""
    if param in init_assignments and isinstance(init_assignments[param], cst.Name) \
            and init_assignments[param].value == param:
        return param
    for attr, value in init_assignments.items():
        if isinstance(value, cst.Name) and value.value == param:
            return attr
    return None
