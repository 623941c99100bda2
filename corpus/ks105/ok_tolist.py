# runtime: ok
"""The array is saved as a list and rebuilt in __init__."""
import keras
import numpy as np


# make: Table(np.arange(4))
@keras.saving.register_keras_serializable(package="corpus")
class Table(keras.layers.Layer):
    def __init__(self, table=None, **kwargs):
        super().__init__(**kwargs)
        self.table = np.asarray(table if table is not None else np.zeros(4), "float32")

    def call(self, x):
        return x + self.table

    def get_config(self):
        return {**super().get_config(), "table": self.table.tolist()}


def example():
    return Table(np.arange(4))
