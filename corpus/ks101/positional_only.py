# runtime: save-fails
"""Positional-only __init__ parameter: the auto-config refuses classes with positional-only
parameters (cls(**config) could not pass them back)."""
import keras


# make: Mul(2.0)
@keras.saving.register_keras_serializable(package="corpus")
class Mul(keras.layers.Layer):  # expect: KS101
    def __init__(self, factor, /, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor


def example():
    return Mul(2.0)
