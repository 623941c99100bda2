# runtime: ok
"""Dense-style: initializer and activation serialized with their module's serialize(), and
__init__ resolves them with initializers.get / activations.get, which accept config dicts."""
import keras
from keras import activations, initializers


# make: Bias(keras.initializers.Constant(2.0), "relu")
@keras.saving.register_keras_serializable(package="corpus")
class Bias(keras.layers.Layer):
    def __init__(self, init="zeros", activation=None, **kwargs):
        super().__init__(**kwargs)
        self.init = initializers.get(init)
        self.activation = activations.get(activation)

    def build(self, input_shape):
        self.b = self.add_weight(shape=(input_shape[-1],), initializer=self.init)

    def call(self, x):
        return self.activation(x + self.b - 2.5)

    def get_config(self):
        return {
            **super().get_config(),
            "init": initializers.serialize(self.init),
            "activation": activations.serialize(self.activation),
        }


def example():
    return Bias(keras.initializers.Constant(2.0), "relu")
