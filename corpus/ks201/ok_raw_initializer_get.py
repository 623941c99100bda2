# runtime: ok
"""An initializer object stored raw in get_config; __init__ passes the value through
keras.initializers.get, which rebuilds it from the dict Keras wrote."""
import keras


# make: Bias(keras.initializers.Constant(2.0))
@keras.saving.register_keras_serializable(package="corpus")
class Bias(keras.layers.Layer):
    def __init__(self, init="zeros", **kwargs):
        super().__init__(**kwargs)
        self.init = keras.initializers.get(init)

    def build(self, input_shape):
        self.b = self.add_weight(shape=(input_shape[-1],), initializer=self.init)

    def call(self, x):
        return x + self.b

    def get_config(self):
        return {**super().get_config(), "init": self.init}


def example():
    return Bias(keras.initializers.Constant(2.0))
