"""KS601: a save path that Keras 3 rejects."""

from __future__ import annotations

from kcheck.facts.save_calls import find_save_calls
from kcheck.fixes.save_paths import fix_save_path
from kcheck.rules.base import Rule

_MODEL_EXTENSIONS = (".keras", ".h5", ".hdf5")


class SavePathRejected(Rule):
    """``model.save(...)`` / ``keras.saving.save_model(...)`` with a path that does not end in
    ``.keras`` (or the legacy ``.h5``/``.hdf5``), or ``model.save_weights(...)`` with a path
    that does not end in ``.weights.h5`` (``.weights.json`` with ``max_shard_size=``).

    Keras 3 raises ``ValueError`` for these before writing anything: the TensorFlow SavedModel
    directory of Keras 2 is gone (use ``model.export()``). Only the literal end of the path is
    read (string literals, f-strings, ``+``, ``os.path.join``, ``pathlib`` ``/``, module
    constants); a path built at run time is not judged. ``.save`` is reported only on receivers
    that are plausibly Keras models (see ``kcheck.facts.save_calls``). Calls with ``zipped=`` or an
    ``hf://`` path are left alone: those may save to a directory. Not applied with
    ``--keras-version 2``, where a SavedModel directory is valid."""

    code = "KS601"
    name = "save-path-rejected"
    summary = "model.save / save_weights with a path Keras 3 rejects"
    RUNTIME_EVIDENCE = ("Invalid filepath extension", "must end in", "save_format")
    VALID = [
        '''
import os
import keras
import numpy as np

model = keras.Sequential([keras.layers.Dense(1)])
model.save("model.keras")
model.save(os.path.join("out", f"{model.name}.keras"))
model.save_weights("out/model.weights.h5")
model.save("legacy.h5")
np.save("array", np.zeros(3))
''',
        '''
import keras
from PIL import Image

img = Image.open("x.png")
img.save("y")
''',
        '''
import keras
import gensim

w2v_model = gensim.models.Word2Vec(["a b"])
w2v_model.save("w2v.model")
''',
    ]
    INVALID = [
        '''
import keras

model = keras.Sequential([keras.layers.Dense(1)])
model.save("saved_model")  # expect: KS601
model.save("saved_model", save_format="tf")  # expect: KS601
model.save_weights("weights.h5")  # expect: KS601
keras.saving.save_model(model, "export/" + "model")  # expect: KS601
''',
        '''
import os
from tensorflow import keras

class Checkpoint(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.model.save(os.path.join("ckpt", f"epoch_{epoch}.tf"))  # expect: KS601
''',
    ]
    FIXES = [
        ('''
import keras

model = keras.Sequential([keras.layers.Dense(1)])
model.save("saved_model", save_format="tf")
model.save_weights(f"out/{model.name}.h5")
''', '''
import keras

model = keras.Sequential([keras.layers.Dense(1)])
model.save("saved_model.keras")
model.save_weights(f"out/{model.name}.weights.h5")
'''),
    ]

    def check_module(self, context):
        if context.keras_version != 3:
            return
        for save in find_save_calls(context.project, context.module):
            tail = save.tail
            if tail is None or "zipped" in save.keywords or tail.startswith("hf://"):
                continue
            if save.kind == "save":
                if tail.endswith(_MODEL_EXTENSIONS):
                    continue
                extra = (" (save_format= no longer chooses the format)"
                         if "save_format" in save.keywords else "")
                yield self.finding(
                    f"{save.callee}() path ending {_shown(tail)} has no .keras extension{extra}: "
                    "Keras 3 raises ValueError \"Invalid filepath extension for saving\" and "
                    "writes nothing; save to a path ending in .keras (or use model.export() for "
                    "a TensorFlow SavedModel)", save.path or save.call,
                    subject=f"save-path:save\t{tail}",
                    fix=fix_save_path("save", save.call, save.path, tail, save.keywords))
            else:
                sharded = "max_shard_size" in save.keywords
                wanted = ".weights.json" if sharded else ".weights.h5"
                if tail.endswith(wanted):
                    continue
                yield self.finding(
                    f"{save.callee}() path ending {_shown(tail)} does not end in {wanted}: "
                    f"Keras 3 raises ValueError \"The filename must end in {wanted}\" and "
                    f"writes nothing; save the weights to a path ending in {wanted}",
                    save.path or save.call,
                    subject=None if sharded else f"save-path:save_weights\t{tail}",
                    fix=fix_save_path("save_weights", save.call, save.path, tail,
                                      save.keywords))


def _shown(tail: str) -> str:
    return repr(tail if len(tail) <= 30 else "..." + tail[-27:])
