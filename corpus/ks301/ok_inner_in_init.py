# runtime: ok
# verify: Outer
"""Unregistered Inner is only constructed inside the registered Outer.__init__: Outer's config
does not mention it, Outer rebuilds it on load."""
import keras


class Inner(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor


# make: Outer(3.0)
@keras.saving.register_keras_serializable(package="corpus")
class Outer(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.inner = Inner(factor)

    def call(self, x):
        return self.inner(x)


def example():
    return Outer(3.0)
