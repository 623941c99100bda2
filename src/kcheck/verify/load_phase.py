"""Child side, second (fresh) process: reload what the first child saved and compare."""
from __future__ import annotations

import json
import os

from .comparison import compare_outputs, compare_records, compare_weights
from .outcomes import failure, outcome
from .samples import fill
from .save_phase import (
    ARRAYS_FILE,
    LAYER_KINDS,
    MODEL_FILE,
    OBJECT_FILE,
    REFERENCE_FILE,
    _flat_outputs,
    evaluate_object,
)
from .snapshot import layer_record, object_record, weight_values


def run_load(artifacts: str, enter, memory_mb: int, atol: float | None = None,
             custom_objects: dict | None = None, module=None) -> dict:
    """Reload the saved object with Keras defaults (plus the custom_objects the user's module
    passes itself) and compare it with the reference.

    When Keras cannot find a class by name (an unregistered class), the reload is tried once
    more with every class and function of the user's `module` in custom_objects (the usual fix),
    and what that second reload shows is attached as `workaround`: the other findings of the
    class can still be observed behind the first failure."""
    import numpy as np

    with open(os.path.join(artifacts, REFERENCE_FILE), encoding="utf-8") as handle:
        reference = json.load(handle)
    with np.load(os.path.join(artifacts, ARRAYS_FILE)) as data:
        arrays = {key: data[key] for key in data.files}
    if reference.get("lookup_probe"):
        return _lookup_probe(reference, artifacts, enter, memory_mb, custom_objects)
    load = _load_layer if reference["kind"] in LAYER_KINDS else _load_object
    result = load(reference, arrays, artifacts, enter, memory_mb, atol, custom_objects)
    if result["outcome"] == "confirmed" and result["stage"] == "load" and \
            "Could not locate" in result["detail"] and module is not None:
        everything = {**_module_objects(module), **(custom_objects or {})}
        if everything:
            second = load(reference, arrays, artifacts, enter, memory_mb, atol, everything)
            result["workaround"] = {**second, "method": "reloaded with the module's classes "
                                    "and functions in custom_objects"}
    return result


def _lookup_probe(reference, artifacts, enter, memory_mb, custom_objects) -> dict:
    """The save failed because the class has no usable get_config(); a copy saved with the base
    class's config only says whether the fresh process finds the class by name."""
    import keras

    enter("load")
    try:
        keras.models.load_model(os.path.join(artifacts, MODEL_FILE),
                                custom_objects=custom_objects or None)
    except Exception as error:  # noqa: BLE001
        second = failure(error, "load", "", memory_mb)
        if "Could not locate" not in second["detail"]:
            # Found by name; the base-only config just cannot rebuild it: that is all it shows.
            second = outcome("same", "", "Keras found the class by name at load")
    else:
        second = outcome("same", "", "Keras found the class by name at load")
    return {**reference["first"], "workaround": {
        **second, "method": "saved again with get_config() returning only name and trainable, "
        "to see whether the reload finds the class by name"}}


def _module_objects(module) -> dict:
    """Classes and functions defined in the user's module, by name."""
    import inspect

    return {name: value for name, value in vars(module).items()
            if (inspect.isclass(value) or inspect.isfunction(value))
            and getattr(value, "__module__", None) == module.__name__}


def _numbered(arrays: dict, prefix: str) -> list:
    keys = sorted((k for k in arrays if k[0] == prefix and k[1:].isdigit()),
                  key=lambda k: int(k[1:]))
    return [arrays[k] for k in keys]


def _load_layer(reference, arrays, artifacts, enter, memory_mb, atol, custom_objects) -> dict:
    import keras

    enter("load")
    try:
        model = keras.models.load_model(os.path.join(artifacts, MODEL_FILE),
                                        custom_objects=custom_objects or None)
    except Exception as error:  # noqa: BLE001
        return failure(error, "load", "", memory_mb)
    enter("compare")
    index = reference["layer_index"]
    if reference.get("context"):
        from .in_context import find_layer

        layer = find_layer(model, reference["context"])
        if layer is None:
            return outcome("confirmed", "load", "the reloaded model has no "
                           f"{reference['context']['class']} layer any more")
    else:
        layer = model if reference["kind"] == "model" or index < 0 else model.layers[index]
    changes = compare_records(reference["record"], layer_record(layer))
    if reference.get("config_only"):
        return _verdict(changes, "config and attributes (never called)")
    changes += compare_weights(reference["record"], layer_record(layer), _numbered(arrays, "w"),
                               weight_values(layer))
    inputs = _numbered(arrays, "x")
    if reference.get("feed_template") is not None:
        feed = fill(reference["feed_template"], inputs)
    else:
        feed = inputs if (reference.get("as_list") or len(inputs) > 1) else inputs[0]
    try:
        after = _flat_outputs(model.predict(feed, verbose=0))
    except Exception as error:  # noqa: BLE001
        result = failure(error, "compare", "", memory_mb)
        if result["outcome"] == "confirmed":
            result["detail"] = "the reloaded model fails on the same input: " + result["detail"]
        return result
    changes += _output_changes(reference, _numbered(arrays, "y"), after, atol)
    return _verdict(changes, "config, attributes and results on a sample")


def _output_changes(reference, before, after, atol) -> list[str]:
    noun = "outputs" if reference["kind"] in LAYER_KINDS else "results"
    diffs, _ = compare_outputs(before, after, atol, noun)
    if diffs and not reference.get("deterministic", True):
        # The original gave different outputs on two identical calls: a diff proves nothing.
        return []
    return diffs


def _verdict(changes: list[str], preserved: str) -> dict:
    if changes:
        return outcome("confirmed", "compare", "; ".join(changes))
    return outcome("same", "", f"{preserved} preserved")


def _load_object(reference, arrays, artifacts, enter, memory_mb, atol, custom_objects) -> dict:
    import inspect

    import keras

    enter("load")
    try:
        with open(os.path.join(artifacts, OBJECT_FILE), encoding="utf-8") as handle:
            obj = keras.saving.deserialize_keras_object(json.load(handle),
                                                        custom_objects=custom_objects or None)
    except Exception as error:  # noqa: BLE001
        return failure(error, "load", "", memory_mb)
    enter("compare")
    changes = []
    if reference["record"] and not inspect.isfunction(obj):
        changes = compare_records(reference["record"], object_record(obj))
    try:
        after = evaluate_object(obj, reference["kind"])
    except Exception as error:  # noqa: BLE001
        result = failure(error, "compare", "", memory_mb)
        if result["outcome"] == "confirmed":
            result["detail"] = "the reloaded object fails on the same sample: " + result["detail"]
        return result
    changes += _output_changes(reference, _numbered(arrays, "y"), after, atol)
    return _verdict(changes, "config, attributes and results on a sample")
