# runtime: ok
"""No from_config, but __init__ turns a config dict back into a layer itself."""
import keras


# make: Wrap(keras.layers.Dense(4))
@keras.saving.register_keras_serializable(package="corpus")
class Wrap(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        if isinstance(inner, dict):
            inner = keras.saving.deserialize_keras_object(inner)
        self.inner = inner

    def call(self, x):
        return self.inner(x)

    def get_config(self):
        return {**super().get_config(), "inner": keras.saving.serialize_keras_object(self.inner)}


def example():
    return Wrap(keras.layers.Dense(4))
