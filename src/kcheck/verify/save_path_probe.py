"""Child side, for a finding about a save path: does Keras accept a path ending like this?

The finding names the save method and the literal end of the path the user wrote. The probe
builds a small functional model and calls that method on a path with the same ending inside the
child's scratch folder, so what Keras says is what the user's call would meet.
"""

from __future__ import annotations

import os

from .outcomes import outcome
from .root_cause import describe


def run_save_path(target: dict, enter) -> dict:
    """Confirmed with Keras's error when the save call fails; "same" when Keras accepts it."""
    import keras

    method = target["class_name"].split(":", 1)[1]
    tail = (target.get("examples") or [""])[0]
    name = "kcheck_probe_" + os.path.basename(tail.rstrip("/\\"))
    how = f"a Dense model's {method}({name!r}), the path ending as written"
    enter("construct", how)
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    enter("save", how)
    try:
        getattr(model, method)(os.path.join(os.getcwd(), name))
    except Exception as error:  # noqa: BLE001 - Keras's refusal is the evidence
        return outcome("confirmed", "save", describe(error), how)
    return outcome("same", "", "", how)
