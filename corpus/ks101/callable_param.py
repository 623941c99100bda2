# runtime: save-fails
"""A function object passed to __init__ and called in call(); no get_config."""
import keras
from keras import layers as L


# make: Act(keras.activations.relu)
@keras.saving.register_keras_serializable(package="corpus")
class Act(L.Layer):  # expect: KS101
    def __init__(self, fn=None, **kwargs):
        super().__init__(**kwargs)
        self.fn = fn

    def call(self, x):
        return self.fn(x - 0.5)


def make():
    return Act(keras.activations.relu)
