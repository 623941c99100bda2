"""Child side: verify a class inside the model the user's own module builds.

When a layer cannot be built and called alone (it needs values only the module knows, or an
input no generic sample matches), a module function that builds and returns a model holding it
(`create_model()`, found statically by model_code.py) is called, and the whole model is saved
and reloaded, the way the user would. The class's own instance is then compared (config,
attributes, weights) along with the whole model's outputs.
"""
from __future__ import annotations

import os

from .outcomes import failure, is_contract_error, limit_reason, outcome
from .samples import array_like, fill, sample_inputs, to_template
from .snapshot import layer_record, weight_values


def all_layers(model) -> list:
    """Every layer inside `model`, nested ones included, in a stable order."""
    flatten = getattr(model, "_flatten_layers", None)
    if flatten is not None:
        try:
            return list(flatten(include_self=False, recursive=True))
        except TypeError:
            pass
    out = []
    for layer in getattr(model, "layers", []):
        out.append(layer)
        out.extend(all_layers(layer))
    return out


def find_layer(model, context: dict):
    """The `context["index"]`-th layer whose class is named `context["class"]`, or None."""
    matches = [layer for layer in all_layers(model)
               if type(layer).__name__ == context["class"]]
    index = context.get("index", 0)
    return matches[index] if index < len(matches) else None


def _first_model(value):
    import keras

    if isinstance(value, keras.Model):
        return value
    if isinstance(value, (list, tuple)):
        for item in value:
            found = _first_model(item)
            if found is not None:
                return found
    if isinstance(value, dict):
        return _first_model(list(value.values()))
    return None


def _model_feed(model, rng):
    """(template, arrays) for the model's own inputs, or None for a model not yet built."""
    import keras

    structure = getattr(model, "_inputs_struct", None)
    if structure is None:
        try:
            structure = model.inputs
        except (AttributeError, ValueError):
            return None
    if isinstance(structure, (list, tuple, dict)) and len(structure) == 0:
        return None
    leaves: list = []
    template = to_template(structure, leaves, lambda v: isinstance(v, keras.KerasTensor))
    return template, [array_like(t, rng) for t in leaves]


def save_in_context(cls, target: dict, namespace: dict, artifacts: str, enter, memory_mb: int,
                    alone: str) -> dict | None:
    """Save a model from one of the target's builders and write the reference; None when no
    builder gives a model holding the class (the caller then reports why it failed alone)."""
    import keras
    import numpy as np

    from .save_phase import MODEL_FILE, _flat_outputs, _write_reference

    name = target["class_name"]
    filename = os.path.basename(target["path"])
    for builder in target.get("builders") or ():
        method = (f"in context: {builder} from {filename} builds a model holding {name} "
                  f"({alone})")
        enter("construct", method)
        try:
            model = _first_model(eval(builder, dict(namespace)))  # noqa: S307 - user's builder
        except Exception as error:  # noqa: BLE001
            reason = limit_reason(error, "construct", memory_mb)
            if reason:
                return outcome("inconclusive", "construct", reason, method)
            continue
        if model is None:
            continue
        rng = np.random.RandomState(0)
        enter("call", method)
        try:
            feed = _model_feed(model, rng)
            if feed is None:  # a subclassed model: build it on the first input it accepts
                feed = _build_subclassed(model)
            if feed is None:
                continue
            template, arrays = feed
            outputs = _flat_outputs(model.predict(fill(template, arrays), verbose=0))
        except Exception as error:  # noqa: BLE001
            if limit_reason(error, "call", memory_mb) or is_contract_error(error):
                return failure(error, "call", method, memory_mb)
            continue
        instances = [layer for layer in all_layers(model) if isinstance(layer, cls)]
        if not instances:
            continue
        layer = instances[0]
        same = [x for x in all_layers(model) if type(x).__name__ == type(layer).__name__]
        context = {"class": type(layer).__name__,
                   "index": next(i for i, x in enumerate(same) if x is layer)}
        shapes = ", ".join(f"{a.dtype.name}{tuple(a.shape)}" for a in arrays)
        method += f"; input {shapes}"
        enter("save", method)
        try:
            model.save(os.path.join(artifacts, MODEL_FILE))
        except Exception as error:  # noqa: BLE001
            return failure(error, "save", method, memory_mb)
        repeat = _flat_outputs(model.predict(fill(template, arrays), verbose=0))
        deterministic = len(repeat) == len(outputs) and all(
            np.array_equal(a, b, equal_nan=True) for a, b in zip(outputs, repeat))
        reference = {
            "kind": target["kind"], "layer_index": -1, "context": context,
            "feed_template": template, "record": layer_record(layer),
            "deterministic": deterministic, "keras_version": keras.__version__,
        }
        stored = {f"x{i}": a for i, a in enumerate(arrays)}
        stored.update({f"y{i}": a for i, a in enumerate(outputs)})
        stored.update({f"w{i}": a for i, a in enumerate(weight_values(layer))})
        _write_reference(artifacts, reference, stored)
        return outcome("saved", "save", "", method)
    return None


def _build_subclassed(model):
    for sample in sample_inputs(type(model)):
        template = sample.feed_template()
        try:
            model(fill(template, sample.arrays))
        except Exception:  # noqa: BLE001 - try the next shape
            continue
        return template, sample.arrays
    return None


