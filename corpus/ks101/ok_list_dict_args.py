# runtime: ok
"""A list of ints and a dict of floats as constructor arguments: nested basics are auto-captured."""
import keras


# make: Pick([1, 3], {"a": 2.0, "b": 5.0})
@keras.saving.register_keras_serializable(package="corpus")
class Pick(keras.layers.Layer):
    def __init__(self, idx=None, affine=None, **kwargs):
        super().__init__(**kwargs)
        self.idx = idx or [0]
        self.affine = affine or {"a": 1.0, "b": 0.0}

    def call(self, x):
        picked = keras.ops.take(x, self.idx, axis=-1)
        return picked * self.affine["a"] + self.affine["b"]


def example():
    return Pick([1, 3], {"a": 2.0, "b": 5.0})
