# runtime: static-only
# Measured with the TensorFlow backend (docs/measurements/issue13_reported_failures.py, VAR d,
# Keras 3.15.1 + TensorFlow 2.16.2): silent-diff -- the layer has no weights, the variable is
# not saved and reloads with its initial value. The verifier runs without TensorFlow here.
import numpy as np
import tensorflow as tf


@tf.keras.utils.register_keras_serializable(package="corpus")
class Gain(tf.keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.gain = tf.Variable(np.ones((4,), "float32"))  # expect: KS505

    def call(self, x):
        return x * self.gain
