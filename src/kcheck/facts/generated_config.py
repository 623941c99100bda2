"""What Keras 3 generates as get_config() for a layer or model that writes none (measured, 3.15).

``Operation.__new__`` records the constructor's arguments when every value is basic (str, int,
float, bool, None and nests of them) and binds them to the signature; ``Operation.get_config``
returns that record, or raises ``NotImplementedError`` when there is none. So:

- a layer whose arguments are all basic gets its arguments recorded ("recorded");
- a layer handed a layer, a callable, a tensor... gets nothing: ``model.save()`` raises ("none");
- ``keras.Model.__new__`` calls ``Operation.__new__`` *without* the constructor's arguments: with
  every parameter defaulted Keras records the defaults, not the values passed ("defaults"); with
  a required parameter the binding fails and nothing is recorded ("none").

Only where a config really exists can a rule reason about its keys (KS104): when nothing is
generated, saving fails first and that is KS101's finding.
"""

from __future__ import annotations

from dataclasses import dataclass

from kcheck.facts import keras_names
from kcheck.facts.arguments import judge_param
from kcheck.facts.module import Param
from kcheck.facts.project import ClassInfo, Project
from kcheck.facts.usage import constructor_sites


@dataclass(frozen=True)
class GeneratedConfig:
    """The outcome of Keras's generated get_config() for one class."""

    outcome: str  # "recorded" | "defaults" | "none"
    params: tuple[Param, ...]  # the constructor parameters that matter (base keys left out)
    reason: str = ""  # why nothing is recorded, for messages

    @property
    def exists(self) -> bool:
        return self.outcome != "none"


def recorded_params(cls: ClassInfo) -> list[Param]:
    """``__init__`` parameters the generated config would have to carry: all but ``**kwargs``
    and the keys the Keras base records itself (name, trainable, dtype)."""
    found = cls.find_method("__init__")
    if found is None:
        return []
    base_keys = keras_names.BASE_CONFIG_KEYS.get(cls.kind or "", frozenset())
    return [p for p in found[1].params if p.kind != "var-keyword" and p.name not in base_keys]


def is_required(param: Param) -> bool:
    return param.default is None and param.kind not in ("var-positional", "var-keyword")


def generated_config(project: Project, cls: ClassInfo) -> GeneratedConfig | None:
    """What Keras generates for *cls*; None when the class or an ancestor writes get_config, or
    its nearest Keras base is not Layer or Model (that base's own get_config applies)."""
    if cls.find_method("get_config") is not None or cls.kind not in ("layer", "model"):
        return None
    nearest = cls.nearest_keras_base()
    if nearest is None or not (keras_names.base_for_auto_config(nearest)
                               or nearest in ("keras.models.Model", "keras.Model")):
        return None
    params = tuple(recorded_params(cls))
    if cls.kind == "model":
        required = [p for p in params if is_required(p)]
        if required:
            return GeneratedConfig("none", params,
                                   f"__init__ requires {required[0].name!r}, which "
                                   "keras.Model.__new__ never passes on to be recorded")
        if any(p.kind != "var-positional" for p in params):
            return GeneratedConfig("defaults", params)
    reason = unrecordable_reason(project, cls, list(params))
    if reason is not None:
        return GeneratedConfig("none", params, reason)
    return GeneratedConfig("recorded", params)


def unrecordable_reason(project: Project, cls: ClassInfo, params: list[Param]) -> str | None:
    """Why Keras cannot record a layer's arguments (a parameter that holds an object, is
    positional-only, or a ``*args`` callers fill), or None when it can."""
    sites = None
    for param in params:
        if param.kind == "positional-only":
            return (f"__init__ parameter {param.name!r} is positional-only, which the "
                    "recorded config cannot pass back")
        if sites is None:
            sites = constructor_sites(project, cls)
        if param.kind == "var-positional":
            named = sum(1 for p in params if p.kind in ("positional", "positional-only"))
            if any(sum(1 for a in s.node.args if a.keyword is None) > named for s in sites):
                return f"callers fill *{param.name}, which Keras does not record"
            continue
        why = judge_param(project, cls, param, sites)
        if why is not None:
            return f"__init__ argument {param.name!r} {why}"
    return None
