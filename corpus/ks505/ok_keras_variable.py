# runtime: ok
import keras
import numpy as np


@keras.saving.register_keras_serializable(package="corpus")
class Gain(keras.layers.Layer):
    """keras.Variable attributes are tracked and saved (measured, VAR a-c)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.gain = keras.Variable(np.ones((4,), "float32"))

    def call(self, x):
        return x * self.gain
