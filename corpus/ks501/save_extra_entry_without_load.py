# runtime: load-fails
# verify: Offset
import keras
import numpy as np


@keras.saving.register_keras_serializable(package="corpus")
class Offset(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.offset = np.ones((4,), "float32")

    def call(self, x):
        return x + self.offset

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["offset"] = self.offset  # expect: KS501
