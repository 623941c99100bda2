# runtime: save-fails
"""A layer passed to __init__ and called in call(); no get_config: Keras cannot auto-capture it."""
import keras


# make: Gate(keras.layers.Dense(4))
@keras.saving.register_keras_serializable(package="corpus")
class Gate(keras.layers.Layer):  # expect: KS101
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x) * x


def example():
    return Gate(keras.layers.Dense(4))
