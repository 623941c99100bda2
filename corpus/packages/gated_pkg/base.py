# runtime: static-only
# (ProjectBase is an abstract base: it has no gate() and cannot be built on its own; its subclass
#  in gated.py is the runtime case)
"""A project base class that keeps the layer it is given as it is."""
import keras


class ProjectBase(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def gate(self, x):
        raise NotImplementedError

    def call(self, x):
        return self.gate(x) * self.inner(x)
