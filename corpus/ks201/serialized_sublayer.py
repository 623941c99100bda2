# runtime: load-fails
"""Sublayer put through keras.saving.serialize_keras_object, no from_config to undo it."""
import keras


# make: Residual(keras.layers.Dense(4))
@keras.saving.register_keras_serializable(package="corpus")
class Residual(keras.layers.Layer):
    def __init__(self, branch, **kwargs):
        super().__init__(**kwargs)
        self.branch = branch

    def call(self, x):
        return x + self.branch(x)

    def get_config(self):
        return {
            **super().get_config(),
            "branch": keras.saving.serialize_keras_object(self.branch),  # expect: KS201
        }


def example():
    return Residual(keras.layers.Dense(4))
