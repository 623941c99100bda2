# runtime: ok
"""The vocabulary is not in the config, but save_assets/load_assets write and read it back."""
import os

import keras


# make: Lookup(["a", "b", "c"])
@keras.saving.register_keras_serializable(package="corpus")
class Lookup(keras.layers.Layer):
    def __init__(self, vocabulary=None, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary = list(vocabulary or [])

    def call(self, x):
        return x + float(len(self.vocabulary))

    def get_config(self):
        return super().get_config()

    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocab.txt"), "w") as handle:
            handle.write("\n".join(self.vocabulary))

    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocab.txt")) as handle:
            self.vocabulary = handle.read().split("\n")


def example():
    return Lookup(["a", "b", "c"])
