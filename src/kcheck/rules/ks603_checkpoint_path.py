"""KS603: a ModelCheckpoint path that Keras 3 rejects when the callback is built."""

from __future__ import annotations

from kcheck.facts.load_calls import find_path_calls
from kcheck.rules.base import Rule

_MODEL_ENDINGS = (".keras", ".h5")
_WEIGHTS_ENDING = ".weights.h5"


class CheckpointPathRejected(Rule):
    """``keras.callbacks.ModelCheckpoint(path, save_weights_only=True)`` with a path that does
    not end in ``.weights.h5``, or a full-model checkpoint whose path ends in neither
    ``.keras`` nor ``.h5`` (``"model_{epoch}"``, ``".tf"``, and also ``".hdf5"``, which
    ``model.save`` accepts but the callback does not).

    Keras 3 raises ``ValueError`` when the callback is constructed, before training starts
    (measured, Keras 3.15). A ``.weights.h5`` path without ``save_weights_only`` is accepted
    (it ends in ``.h5``: a legacy full-model file). The path's literal end is read like KS601
    reads it (literals, f-strings, ``+``, ``os.path.join``, ``pathlib`` ``/``, module
    constants); a ``save_weights_only`` that is neither ``True`` nor ``False`` as written
    is judged against both. Not applied with ``--keras-version 2``."""

    code = "KS603"
    name = "checkpoint-path-rejected"
    summary = "a ModelCheckpoint path that Keras 3 rejects when the callback is built"
    KERAS_VERSIONS = frozenset({3})
    RUNTIME_EVIDENCE = ("must end in",)
    VALID = [
        '''
import keras

best = keras.callbacks.ModelCheckpoint("ckpt/model_{epoch:02d}.keras")
weights = keras.callbacks.ModelCheckpoint("ckpt/w_{epoch}.weights.h5", save_weights_only=True)
legacy = keras.callbacks.ModelCheckpoint("model.h5", save_best_only=True)
either = keras.callbacks.ModelCheckpoint("w.weights.h5", save_weights_only=WEIGHTS_ONLY)
''',
    ]
    INVALID = [
        '''
import os
from tensorflow import keras

checkpoint = keras.callbacks.ModelCheckpoint(os.path.join("ckpt", "model_{epoch}"))  # expect: KS603
weights = keras.callbacks.ModelCheckpoint("w_{epoch}.h5", save_weights_only=True)  # expect: KS603
old = keras.callbacks.ModelCheckpoint(f"runs/{1}/best.hdf5", monitor="val_loss")  # expect: KS603
''',
    ]

    def check_module(self, context):
        for found in find_path_calls(context.project, context.module):
            if found.kind != "checkpoint" or found.tail is None or "://" in found.tail:
                continue
            tail = found.tail
            as_model = tail.endswith(_MODEL_ENDINGS)
            as_weights = tail.endswith(_WEIGHTS_ENDING)
            if found.weights_only is True and not as_weights:
                yield self.finding(
                    f"{found.callee}(save_weights_only=True) path ending {_shown(tail)} does "
                    f"not end in {_WEIGHTS_ENDING}: Keras 3 raises ValueError as soon as the "
                    "callback is created, before training, and writes nothing; end the path in "
                    f"{_WEIGHTS_ENDING}",
                    found.path or found.call, subject=f"save-path:checkpoint_weights\t{tail}")
            elif found.weights_only is False and not as_model:
                yield self.finding(
                    f"{found.callee}() path ending {_shown(tail)} ends in neither .keras nor "
                    ".h5: Keras 3 raises ValueError \"The filepath provided must end in "
                    "`.keras`\" as soon as the callback is created, before training, and writes "
                    "nothing; end the path in .keras (or pass save_weights_only=True with a "
                    ".weights.h5 path)",
                    found.path or found.call, subject=f"save-path:checkpoint\t{tail}")
            elif found.weights_only is None and not as_model and not as_weights:
                yield self.finding(
                    f"{found.callee}() path ending {_shown(tail)} ends in neither .keras, .h5 "
                    "nor .weights.h5: Keras 3 raises ValueError as soon as the callback is "
                    "created, whatever save_weights_only is, and writes nothing; end the path "
                    "in .keras (full model) or .weights.h5 (weights only)",
                    found.path or found.call)


def _shown(tail: str) -> str:
    return repr(tail if len(tail) <= 30 else "..." + tail[-27:])
