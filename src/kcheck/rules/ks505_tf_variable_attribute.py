"""KS505: a layer keeps its state in a tf.Variable, which Keras 3 neither tracks nor saves."""

from __future__ import annotations

from kcheck.facts.layer_state import tf_variable_attributes
from kcheck.rules.base import Rule


class TfVariableAttribute(Rule):
    """``self.v = tf.Variable(...)`` in a custom layer or model.

    Keras 3 tracks ``keras.Variable`` objects (what ``add_weight`` makes) and saves only
    those; a TensorFlow variable is not one, so it is missing from ``layer.weights`` and from
    the saved file. Measured (Keras 3.15.1, TensorFlow 2.16.2 backend): the model saves and
    loads without an error, and the variable comes back with its initial value -- outputs
    differ. ``keras.Variable`` attributes (in ``__init__`` or ``build()``, alone or in a list)
    round-trip (measured, jax), so they are not reported. Not applied with
    ``--keras-version 2``, where ``tf.keras`` tracks TensorFlow variables."""

    code = "KS505"
    name = "tf-variable-attribute"
    summary = "a layer keeps state in a tf.Variable, which Keras 3 neither tracks nor saves"
    KERAS_VERSIONS = frozenset({3})
    VALID = [
        '''
import keras

class Gain(keras.layers.Layer):
    def build(self, input_shape):
        self.gain = self.add_weight(shape=(input_shape[-1],), initializer="ones")
        self.count = keras.Variable(0, trainable=False)

    def call(self, x):
        return x * self.gain
''',
    ]
    INVALID = [
        '''
import numpy as np
import tensorflow as tf

class Gain(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.gain = tf.Variable(np.ones(4, "float32"))  # expect: KS505

    def call(self, x):
        return x * self.gain
''',
    ]

    def check_class(self, cls, context):
        if cls.kind not in ("layer", "model"):
            return
        for method, attribute, call in tf_variable_attributes(context.project, cls):
            yield self.finding(
                f"{cls.name}.{method}() stores a tf.Variable in self.{attribute}: Keras 3 does "
                "not track it, so it is not in the saved file and comes back with its initial "
                f"value after load_model, silently; create it with self.add_weight(...) (or "
                "keras.Variable(...))", call, cls)
