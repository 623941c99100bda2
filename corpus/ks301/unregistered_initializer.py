# runtime: load-fails
"""An unregistered Initializer used by a Dense: the Dense config names it, so the whole model
fails to load even though the weights themselves are stored."""
import keras


class Ones(keras.initializers.Initializer):  # expect: KS301
    def __call__(self, shape, dtype=None):
        return keras.ops.ones(shape, dtype=dtype)


def build_model():
    inp = keras.Input((4,))
    return keras.Model(inp, keras.layers.Dense(2, kernel_initializer=Ones())(inp))
