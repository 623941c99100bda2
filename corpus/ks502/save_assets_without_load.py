# runtime: static-only
# measured (docs/measurements/issue4_module_rules.py, KS502 a): silent-diff -- state set after
# construction (here: by adapt()) is lost on reload. The verifier only builds fresh
# instances, whose state the constructor re-creates, so it cannot see this.
import os

import keras
import numpy as np


@keras.saving.register_keras_serializable(package="corpus")
class Table(keras.layers.Layer):
    """A lookup table filled by adapt(), kept as an asset."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.table = np.random.rand(4).astype("float32")

    def adapt(self, data):
        self.table = np.asarray(data, "float32").mean(axis=0)

    def call(self, x):
        return x + self.table

    def save_assets(self, dir_path):  # expect: KS502
        np.save(os.path.join(dir_path, "table.npy"), self.table)
