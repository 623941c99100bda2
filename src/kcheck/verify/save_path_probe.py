"""Child side, for a finding about a save or load call: does Keras accept it?

The finding names the call (``save``, ``save_weights``, ``checkpoint``, ``checkpoint_weights``,
``load_model``, ``load_weights``) and the literal end of the path the user wrote, or, for a
rejected argument (``save_argument``, ``save_weights_argument``), the keyword. The probe builds
a small functional model and makes that call with a path with the same ending inside the
child's scratch folder, so what Keras says is what the user's call would meet.
"""

from __future__ import annotations

import os

from .outcomes import outcome
from .root_cause import describe


def _probe_call(method: str, model, path: str, detail: str):
    """The call the finding is about, made on *model*; returns what was tried."""
    import keras

    if method == "checkpoint":
        keras.callbacks.ModelCheckpoint(path)
    elif method == "checkpoint_weights":
        keras.callbacks.ModelCheckpoint(path, save_weights_only=True)
    elif method == "load_model":
        keras.models.load_model(path)
    elif method == "save_argument":
        model.save(os.path.join(os.path.dirname(path), "kcheck_probe.keras"), **{detail: None})
    elif method == "save_weights_argument":
        model.save_weights(os.path.join(os.path.dirname(path), "kcheck_probe.weights.h5"),
                           **{detail: None})
    else:  # save, save_weights, load_weights
        getattr(model, method)(path)


def _described(method: str, name: str, detail: str) -> str:
    if method == "checkpoint":
        return f"keras.callbacks.ModelCheckpoint({name!r}), the path ending as written"
    if method == "checkpoint_weights":
        return (f"keras.callbacks.ModelCheckpoint({name!r}, save_weights_only=True), the path "
                "ending as written")
    if method == "load_model":
        return f"keras.models.load_model({name!r}), the path ending as written"
    if method.endswith("_argument"):
        call = method.removesuffix("_argument")
        return f"a Dense model's {call}(..., {detail}=None)"
    return f"a Dense model's {method}({name!r}), the path ending as written"


def run_save_path(target: dict, enter) -> dict:
    """Confirmed with Keras's error when the call fails; "same" when Keras accepts it."""
    import keras

    method = target["class_name"].split(":", 1)[1]
    tail = (target.get("examples") or [""])[0]
    name = "kcheck_probe_" + os.path.basename(tail.rstrip("/\\"))
    how = _described(method, name, tail)
    enter("construct", how)
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    stage = "load" if method.startswith("load") else "save"
    enter(stage, how)
    try:
        _probe_call(method, model, os.path.join(os.getcwd(), name), tail)
    except Exception as error:  # noqa: BLE001 - Keras's refusal is the evidence
        return outcome("confirmed", stage, describe(error), how)
    return outcome("same", "", "", how)
