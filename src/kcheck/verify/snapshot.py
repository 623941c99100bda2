"""Child side: record what a round trip must preserve (config, attributes, weights) as plain
data."""
from __future__ import annotations

import json

PRIMITIVES = (type(None), bool, int, float, str)


def normalized(value):
    """`value` as JSON would carry it, with objects replaced by their type name (not their repr,
    which holds memory addresses that differ between processes)."""
    return json.loads(json.dumps(value, default=_jsonable, sort_keys=True))


def _jsonable(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if isinstance(value, (list, tuple)):
        return list(value)
    if hasattr(value, "items"):
        return dict(value.items())
    name = getattr(value, "__name__", None)
    kind = type(value)
    label = f"{kind.__module__}.{kind.__qualname__}"
    return f"<{label} {name}>" if name else f"<{label}>"


def _is_plain(value, depth: int = 0) -> bool:
    if isinstance(value, PRIMITIVES):
        return True
    if isinstance(value, (list, tuple)) and depth < 2:
        return all(_is_plain(v, depth + 1) for v in value)
    return False


def base_attribute_names(obj) -> set[str]:
    """Attributes every instance of the nearest Keras base class has: not the user's state."""
    for klass in type(obj).__mro__:
        # keras itself, not keras_hub / keras_cv / keras_rs, whose classes are the user's kind
        module = klass.__module__
        if module == "keras" or module.startswith("keras."):
            try:
                return set(vars(klass()))
            except Exception:  # noqa: BLE001 - an abstract base: fall through to the next one
                continue
    return set()


def plain_attributes(obj) -> dict:
    """Public instance attributes holding plain values (numbers, strings, tuples of them)."""
    skip = base_attribute_names(obj) | {"name", "trainable", "dtype"}
    out = {}
    for key, value in sorted(vars(obj).items()):
        if key.startswith("_") or key in skip:
            continue
        if hasattr(value, "__iter__") and not isinstance(value, (str, list, tuple)):
            continue
        if isinstance(value, (list, tuple)):
            value = list(value)
        if _is_plain(value):
            out[key] = normalized(value)
    return out


def safe_config(obj):
    """get_config() normalised, or an error string if it raises (reported, never fatal here)."""
    try:
        return normalized(obj.get_config())
    except Exception as error:  # noqa: BLE001
        from .root_cause import describe

        return {"__error__": describe(error)}


def layer_record(layer) -> dict:
    """What a saved layer or model must keep: config, base attributes, plain attributes, weights."""
    policy = getattr(layer, "dtype_policy", None)
    return {
        "config": safe_config(layer),
        "trainable": bool(layer.trainable),
        "dtype_policy": getattr(policy, "name", str(policy)),
        "name": layer.name,
        "attributes": plain_attributes(layer),
        "weights": [[w.path, list(w.shape)] for w in layer.weights],
    }


def weight_values(layer) -> list:
    """The layer's weights as numpy arrays, in `layer.weights` order."""
    import numpy as np

    return [np.asarray(w.numpy()) for w in layer.weights]


def object_record(obj) -> dict:
    """What a serialised loss/metric/initializer/... must keep: config and plain attributes."""
    record = {"config": safe_config(obj), "attributes": plain_attributes(obj)}
    if hasattr(obj, "name") and isinstance(obj.name, str):
        record["name"] = obj.name
    return record
