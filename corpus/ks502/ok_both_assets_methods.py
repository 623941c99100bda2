# runtime: ok
# verify: Table
import os

import keras
import numpy as np


@keras.saving.register_keras_serializable(package="corpus")
class Table(keras.layers.Layer):
    """A lookup table drawn at construction (as adapt() would fill it), kept as an asset."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.table = np.random.rand(4).astype("float32")

    def call(self, x):
        return x + self.table

    def save_assets(self, dir_path):
        np.save(os.path.join(dir_path, "table.npy"), self.table)

    def load_assets(self, dir_path):
        self.table = np.load(os.path.join(dir_path, "table.npy"))
