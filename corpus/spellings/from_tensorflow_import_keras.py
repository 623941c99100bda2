# runtime: static-only
# (tensorflow is not installed in the kcheck environment, so this file can only be parsed;
#  the runtime twin is corpus/ks301/unregistered_layer.py)
"""`from tensorflow import keras`: an unregistered layer."""
from tensorflow import keras


class Doubler(keras.layers.Layer):  # expect: KS301
    def call(self, x):
        return x * 2.0


def build_model():
    inp = keras.Input((4,))
    return keras.Model(inp, Doubler()(inp))
