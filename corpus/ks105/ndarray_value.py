# runtime: load-fails
"""A numpy array in the config comes back as a '__tensor__' dict the constructor cannot use."""
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
        return {**super().get_config(), "table": self.table}  # expect: KS105


def example():
    return Table(np.arange(4))
