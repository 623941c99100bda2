# runtime: ok
"""A layer argument with get_config + from_config that (de)serialize it."""
import keras


# make: Gate(keras.layers.Dense(4))
@keras.saving.register_keras_serializable(package="corpus")
class Gate(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x) * x

    def get_config(self):
        return {**super().get_config(), "inner": keras.saving.serialize_keras_object(self.inner)}

    @classmethod
    def from_config(cls, config):
        config["inner"] = keras.saving.deserialize_keras_object(config["inner"])
        return cls(**config)


def example():
    return Gate(keras.layers.Dense(4))
