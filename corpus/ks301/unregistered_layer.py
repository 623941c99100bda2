# runtime: load-fails
"""A custom layer with no registration at all: the fresh process cannot locate the class."""
import keras


class Doubler(keras.layers.Layer):  # expect: KS301
    def call(self, x):
        return x * 2.0


def build_model():
    inp = keras.Input((4,))
    return keras.Model(inp, Doubler()(inp))
