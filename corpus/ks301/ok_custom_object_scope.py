# runtime: ok
# load: restore(path)
"""Unregistered, but the module's own loader wraps load_model in custom_object_scope."""
import keras


class Tripler(keras.layers.Layer):
    def call(self, x):
        return x * 3.0


def restore(path):
    with keras.saving.custom_object_scope({"Tripler": Tripler}):
        return keras.models.load_model(path)
