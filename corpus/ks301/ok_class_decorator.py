# runtime: ok
"""A registering decorator written as a class (the shape of keras-hub's and keras-rs's export):
its __call__ registers the class, so Scale is registered."""
import keras


class export:
    def __init__(self, path):
        self.path = path

    def __call__(self, symbol):
        keras.saving.register_keras_serializable(package="corpus")(symbol)
        return symbol


# make: Scale(3.0)
@export("corpus.Scale")
class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor


def example():
    return Scale(3.0)
