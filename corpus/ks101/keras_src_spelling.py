# runtime: save-fails
"""Base class spelled through keras.src (the implementation package)."""
import keras
from keras.src.layers.layer import Layer


# make: Hold(keras.layers.Dense(4))
@keras.saving.register_keras_serializable(package="corpus")
class Hold(Layer):  # expect: KS101
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)


def make():
    return Hold(keras.layers.Dense(4))
