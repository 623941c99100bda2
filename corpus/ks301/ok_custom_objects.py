# runtime: ok
# load: restore(path)
"""Unregistered, but the module's own loader passes it in custom_objects=."""
import keras


class Doubler(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


def restore(path):
    return keras.models.load_model(path, custom_objects={"Doubler": Doubler})
