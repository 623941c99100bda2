"""Not registered: a fresh process cannot find the class."""
import keras


class Loose(keras.layers.Layer):
    def call(self, x):
        return x * 2.0
