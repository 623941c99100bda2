"""KS604: load_model / load_weights with a path whose format Keras 3 cannot read."""

from __future__ import annotations

from kcheck.facts.load_calls import find_path_calls, loads_folders
from kcheck.rules.base import Rule

_MODEL_ENDINGS = (".keras", ".h5", ".hdf5")
_WEIGHTS_ENDINGS = (".keras", ".weights.h5", ".weights.json", ".h5", ".hdf5")


class LoadPathRejected(Rule):
    """``keras.models.load_model(path)`` where the path visibly ends in something other than
    ``.keras``, ``.h5`` or ``.hdf5`` -- a TensorFlow SavedModel folder (``"saved_model"``,
    ``"export/1"``), ``.pb``, ``.tf``, ``.zip`` -- or ``model.load_weights(path)`` where it
    ends in none of ``.keras``, ``.weights.h5``, ``.weights.json``, ``.h5``, ``.hdf5``
    (a TensorFlow checkpoint prefix ``"ckpt"``, ``.ckpt``).

    Keras 3 raises ``ValueError: File format not supported`` (measured, Keras 3.15, whether
    the path exists or not; a ``.keras`` file renamed to ``.zip`` or to no extension is refused
    too). A SavedModel can only be reloaded for inference, as
    ``keras.layers.TFSMLayer(path, call_endpoint="serving_default")``; to keep a
    reloadable model, save it with ``model.save("model.keras")`` (``model.export()`` writes the
    SavedModel for serving). Paths Keras accepts without an extension are left alone: a module
    that saves folders (``save(..., zipped=False)``) or uses Orbax checkpoints, ``hf://`` and
    other remote paths. Not applied with ``--keras-version 2``, where SavedModel is valid."""

    code = "KS604"
    name = "load-path-rejected"
    summary = "load_model / load_weights with a path whose format Keras 3 cannot read"
    KERAS_VERSIONS = frozenset({3})
    RUNTIME_EVIDENCE = ("File format not supported",)
    VALID = [
        '''
import keras

model = keras.models.load_model("artifacts/model.keras")
legacy = keras.models.load_model("old_model.h5", compile=False)
model.load_weights("ckpt/epoch_3.weights.h5")
remote = keras.saving.load_model("hf://user/model")
''',
        '''
import keras

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.save("export/model_dir", zipped=False)
again = keras.models.load_model("export/model_dir")
''',
    ]
    INVALID = [
        '''
import keras

model = keras.models.load_model("exported/saved_model")  # expect: KS604
model.load_weights("training_1/cp.ckpt")  # expect: KS604
''',
        '''
import os
import tensorflow as tf

MODEL_DIR = "serving/1"
model = tf.keras.models.load_model(MODEL_DIR)  # expect: KS604
other = tf.keras.models.load_model(os.path.join("models", "model.pb"))  # expect: KS604
''',
    ]

    def check_module(self, context):
        folders = None
        for found in find_path_calls(context.project, context.module):
            if found.kind == "checkpoint" or found.tail is None or "://" in found.tail:
                continue
            tail = found.tail
            endings = _MODEL_ENDINGS if found.kind == "load_model" else _WEIGHTS_ENDINGS
            if tail.endswith(endings):
                continue
            if folders is None:
                folders = loads_folders(context.project, context.module)
            if folders:
                return
            if found.kind == "load_model":
                message = (
                    f"{found.callee}() path ending {_shown(tail)} is not a .keras or .h5 file: "
                    "loading fails with ValueError \"File format not supported\" (a TensorFlow "
                    "SavedModel cannot be loaded as a model); load a file saved with "
                    "model.save(\"model.keras\"), or wrap a SavedModel as "
                    "keras.layers.TFSMLayer(path, call_endpoint=\"serving_default\") for "
                    "inference")
            else:
                message = (
                    f"{found.callee}() path ending {_shown(tail)} is not a .weights.h5, .keras "
                    "or .h5 file: loading fails with ValueError \"File format not supported\" (a "
                    "TensorFlow checkpoint cannot be read); load weights saved with "
                    "model.save_weights(\"model.weights.h5\")")
            yield self.finding(message, found.path or found.call,
                               subject=f"save-path:{found.kind}\t{tail}")


def _shown(tail: str) -> str:
    return repr(tail if len(tail) <= 30 else "..." + tail[-27:])
