# runtime: ok
"""Serialized sublayer with a from_config that calls keras.layers.deserialize."""
import keras


# make: Wrap(keras.layers.Dense(4))
@keras.saving.register_keras_serializable(package="corpus")
class Wrap(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)

    def get_config(self):
        return {**super().get_config(), "inner": keras.layers.serialize(self.inner)}

    @classmethod
    def from_config(cls, config):
        config["inner"] = keras.layers.deserialize(config["inner"])
        return cls(**config)


def example():
    return Wrap(keras.layers.Dense(4))
