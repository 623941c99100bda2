# runtime: save-fails
"""An __init__ parameter annotated np.ndarray receives an array; no get_config."""
import keras
import numpy as np


# make: Offset(np.arange(4, dtype="float32"))
@keras.saving.register_keras_serializable(package="corpus")
class Offset(keras.layers.Layer):  # expect: KS101
    def __init__(self, table: np.ndarray, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    def call(self, x):
        return x + self.table


def example():
    return Offset(np.arange(4, dtype="float32"))
