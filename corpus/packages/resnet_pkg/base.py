# runtime: static-only
# (ResidualBase is an abstract base: it has no branch() and cannot be built on its own; its
#  subclasses in blocks.py and absolute.py are the runtime cases)
"""Unregistered abstract base, only subclassed (in other files of the package): no finding."""
import keras


class ResidualBase(keras.layers.Layer):
    def __init__(self, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def branch(self, x):
        raise NotImplementedError

    def call(self, x):
        return x + self.scale * self.branch(x)
