# runtime: ok
"""A local class named `Layer` in a file that also imports keras: subclasses of it are not
Keras layers, whatever they do."""
import keras


class Layer:
    def __init__(self, **kwargs):
        self.options = kwargs


class Gate(Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def build(self, input_shape, units=4):
        return (input_shape, units)

    def get_config(self):
        return {"inner": keras.saving.serialize_keras_object(self.inner)}


def example():
    return Gate(keras.layers.Dense(4))
