"""assert_roundtrip: the check users put in their own tests.

Keras's own run_class_serialization_test compares get_config() with from_config() in one
process; it never writes a .keras file, never reloads in a fresh process (where an unregistered
class is not found), and never compares outputs. This does all three.
"""
from __future__ import annotations

import os
import sys
import tempfile

OBJECT_KINDS = (
    ("losses", "Loss", "loss"), ("metrics", "Metric", "metric"),
    ("initializers", "Initializer", "initializer"), ("regularizers", "Regularizer", "regularizer"),
    ("constraints", "Constraint", "constraint"),
    ("optimizers.schedules", "LearningRateSchedule", "schedule"),
    ("optimizers", "Optimizer", "optimizer"),
)


def assert_roundtrip(obj, sample_input=None, *, atol=None, timeout: float = 120.0,
                     memory_mb: int = 4096) -> None:
    """Save `obj` to a temporary .keras file, reload it in a fresh Python process that imports
    only the modules defining the custom classes involved, and compare config, trainable, dtype
    policy, name, weights and the outputs on `sample_input`.

    `obj` is a layer, a model, or a loss/metric/initializer/regularizer/constraint/schedule/
    optimizer (those go through serialize_keras_object/deserialize_keras_object and are checked
    on fixed sample data). A layer needs `sample_input` (a numpy array, or a list for layers
    taking a list); a model built on known input shapes does not. `atol` overrides the output
    tolerance (default by dtype: float64 1e-9, float32 1e-5, float16/bfloat16 1e-2).

    Raises AssertionError naming what failed or changed; RuntimeError if the check itself could
    not run (the fresh process could not import the defining module, timed out, ...).
    """
    import keras

    from .root_cause import describe
    from .scheduling import remove_tree, run_phase
    from .workers import SpawnWorker

    label = type(obj).__name__
    workdir = tempfile.mkdtemp(prefix="kcheck-assert-")
    try:
        artifacts = os.path.join(workdir, "artifacts")
        os.makedirs(artifacts)
        if isinstance(obj, keras.layers.Layer):
            error = _save_layer(obj, sample_input, artifacts)
        else:
            error = _save_object(obj, artifacts)
        if error is not None:
            stage, exc = error
            raise AssertionError(f"{label} fails at {stage}: {describe(exc)}") from exc
        modules, files = defining_modules(obj)
        fields = {"modules": modules, "module_files": files, "sys_path": list(sys.path)}
        result = run_phase(SpawnWorker(workdir), workdir, "load", fields, timeout, memory_mb,
                           atol=atol)
    finally:
        remove_tree(workdir)
    status = result.get("outcome")
    if status == "same":
        return
    stage = result.get("stage") or "reload"
    message = f"{label} does not survive a .keras round trip ({stage}): {result.get('detail')}"
    if status == "confirmed":
        raise AssertionError(message)
    raise RuntimeError(f"could not check {label}'s round trip: {result.get('detail')}")


def object_kind(obj) -> str | None:
    """Which non-layer kind `obj` is (loss, metric, ...), from its Keras base class."""
    import keras

    for namespace, base, kind in OBJECT_KINDS:
        holder = keras
        for part in namespace.split("."):
            holder = getattr(holder, part)
        if isinstance(obj, getattr(holder, base)):
            return kind
    return None


def defining_modules(obj) -> tuple[list[str], dict]:
    """Non-Keras modules defining the classes inside `obj` (the object, nested layers), in
    import order; a module run as __main__ maps to its file, loaded in strip mode."""
    objects = [obj]
    flatten = getattr(obj, "_flatten_layers", None)
    if callable(flatten):
        objects += list(flatten(include_self=False, recursive=True))
    names, files = [], {}
    for item in objects:
        module = type(item).__module__
        if module.split(".")[0] in ("keras", "builtins") or module in names:
            continue
        names.append(module)
        if module == "__main__":
            path = getattr(sys.modules["__main__"], "__file__", None)
            if path:
                files[module] = os.path.abspath(path)
            else:
                names.remove(module)  # an interactive session: nothing a fresh process can import
    return names, files


def _sample_for_model(model):
    import numpy as np

    inputs = getattr(model, "inputs", None)
    if not inputs:
        return None
    rng = np.random.RandomState(0)
    arrays = [rng.uniform(0.1, 1.0, [2] + [d or 3 for d in t.shape[1:]]).astype(
        "float32" if "float" in str(t.dtype) else str(t.dtype)) for t in inputs]
    return arrays if len(arrays) > 1 else arrays[0]


def _save_layer(obj, sample_input, artifacts):
    """Save the layer/model and write the reference; returns (stage, error) on failure."""
    import keras
    import numpy as np

    from .samples import SampleInput
    from .save_phase import MODEL_FILE, _flat_outputs, _write_reference
    from .snapshot import layer_record, weight_values

    is_model = isinstance(obj, keras.Model)
    if sample_input is None and is_model:
        sample_input = _sample_for_model(obj)
    if sample_input is None:
        raise TypeError(f"assert_roundtrip({type(obj).__name__}) needs sample_input: an array "
                        "the layer accepts, batch dimension first")
    as_list = isinstance(sample_input, (list, tuple))
    arrays = [np.asarray(a) for a in (sample_input if as_list else [sample_input])]
    sample = SampleInput(arrays, as_list=as_list)
    feed = arrays if as_list else arrays[0]
    try:
        if is_model:
            model, index = obj, -1
        else:
            inputs = [keras.Input(shape=a.shape[1:], dtype=a.dtype.name) for a in arrays]
            out = obj(inputs) if as_list else obj(inputs[0])
            model = keras.Model(inputs if as_list else inputs[0], out)
            index = next(i for i, layer in enumerate(model.layers) if layer is obj)
        outputs = _flat_outputs(model.predict(feed, verbose=0))
    except Exception as error:  # noqa: BLE001
        return "call", error
    try:
        model.save(os.path.join(artifacts, MODEL_FILE))
    except Exception as error:  # noqa: BLE001
        return "save", error
    repeat = _flat_outputs(model.predict(feed, verbose=0))
    layer = model if is_model else model.layers[index]
    reference = {
        "kind": "model" if is_model else "layer", "layer_index": index, "as_list": as_list,
        "record": layer_record(layer), "keras_version": keras.__version__,
        "deterministic": all(np.array_equal(a, b, equal_nan=True) for a, b in zip(outputs, repeat)),
    }
    arrays_out = {f"x{i}": a for i, a in enumerate(sample.arrays)}
    arrays_out.update({f"y{i}": a for i, a in enumerate(outputs)})
    arrays_out.update({f"w{i}": a for i, a in enumerate(weight_values(layer))})
    _write_reference(artifacts, reference, arrays_out)
    return None


def _save_object(obj, artifacts):
    import inspect
    import json

    import keras

    from .save_phase import OBJECT_FILE, _write_reference, evaluate_object
    from .snapshot import object_record

    kind = object_kind(obj) or ("loss" if callable(obj) else None)
    if kind is None:
        raise TypeError(f"assert_roundtrip does not know how to check a {type(obj).__name__}")
    try:
        result = evaluate_object(obj, kind)
    except Exception as error:  # noqa: BLE001
        return "call", error
    try:
        payload = json.dumps(keras.saving.serialize_keras_object(obj))
    except Exception as error:  # noqa: BLE001
        return "save", error
    with open(os.path.join(artifacts, OBJECT_FILE), "w", encoding="utf-8") as handle:
        handle.write(payload)
    record = {} if inspect.isfunction(obj) else object_record(obj)
    _write_reference(artifacts, {"kind": kind, "record": record, "deterministic": True},
                     {f"y{i}": a for i, a in enumerate(result)})
    return None
