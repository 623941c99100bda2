"""KS605: a Keras 2 argument that Keras 3's save / save_weights no longer takes."""

from __future__ import annotations

from kcheck.facts.save_calls import find_save_calls
from kcheck.rules.base import Rule

# What Keras 3.15 reads: Model.save(filepath, overwrite=True, zipped=None, **kwargs) pops
# include_optimizer and save_format from kwargs and raises on anything left;
# Model.save_weights(filepath, overwrite=True, max_shard_size=None) takes nothing else.
_SAVE_ACCEPTS = frozenset({"filepath", "overwrite", "zipped", "include_optimizer",
                           "save_format"})
_SAVE_WEIGHTS_ACCEPTS = frozenset({"filepath", "overwrite", "max_shard_size"})


class SaveArgumentRejected(Rule):
    """``model.save(...)`` / ``keras.saving.save_model(...)`` with a TensorFlow-SavedModel
    argument of Keras 2 (``signatures=``, ``options=``, ``save_traces=``), or
    ``model.save_weights(...)`` with any argument besides ``filepath``, ``overwrite`` and
    ``max_shard_size`` (``save_format="h5"``, ``options=``).

    Keras 3 writes nothing: ``save`` raises ``ValueError: The following argument(s) are not
    supported: ['signatures']`` and ``save_weights`` raises ``TypeError: ... got an unexpected
    keyword argument 'save_format'`` (measured, Keras 3.15). ``save_format=`` on ``save`` is
    not reported here: with a ``.keras`` or ``.h5`` path it only logs a deprecation warning
    (measured), and with another path KS601 reports the path."""

    code = "KS605"
    name = "save-argument-rejected"
    summary = "a Keras 2 argument that Keras 3's save / save_weights no longer takes"
    KERAS_VERSIONS = frozenset({3})
    RUNTIME_EVIDENCE = ("not supported", "unexpected keyword argument")
    VALID = [
        '''
import keras

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.save("model.keras", overwrite=True, include_optimizer=False)
model.save("model.keras", save_format="keras")
model.save_weights("model.weights.h5", overwrite=False)
model.save_weights("model.weights.json", max_shard_size=2)
''',
    ]
    INVALID = [
        '''
import keras

model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.save("model.keras", signatures=None)  # expect: KS605
model.save_weights("model.weights.h5", save_format="h5")  # expect: KS605
keras.saving.save_model(model, "model.keras", save_traces=False)  # expect: KS605
''',
    ]

    def check_module(self, context):
        for save in find_save_calls(context.project, context.module):
            if any(arg.star for arg in save.call.args):
                continue
            accepted = _SAVE_ACCEPTS if save.kind == "save" else _SAVE_WEIGHTS_ACCEPTS
            for arg in save.call.args:
                if arg.keyword is None or arg.keyword.value in accepted:
                    continue
                keyword = arg.keyword.value
                if save.kind == "save":
                    breaks = (f"Keras 3 raises ValueError \"The following argument(s) are not "
                              f"supported: ['{keyword}']\" and writes nothing")
                else:
                    breaks = (f"Keras 3 raises TypeError \"unexpected keyword argument "
                              f"'{keyword}'\" and writes nothing")
                fix = ("for a TensorFlow SavedModel use model.export(path) instead"
                       if keyword in ("signatures", "options", "save_traces")
                       and save.kind == "save"
                       else "the path's ending chooses the format")
                yield self.finding(
                    f"{save.callee}() gets {keyword}=, a Keras 2 argument: {breaks}; remove "
                    f"it ({fix})", arg,
                    subject=f"save-path:{save.kind}_argument\t{keyword}")
