# runtime: ok
"""No **kwargs, but name, trainable and dtype are parameters: every saved key is accepted."""
import keras


# make: Named(2.0)
@keras.saving.register_keras_serializable(package="corpus")
class Named(keras.layers.Layer):
    def __init__(self, factor, name=None, trainable=True, dtype=None):
        super().__init__(name=name, trainable=trainable, dtype=dtype)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def example():
    return Named(2.0)
