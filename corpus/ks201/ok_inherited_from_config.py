# runtime: ok
# verify: Gated
"""from_config that deserializes the sublayer lives in a custom ancestor."""
import keras


class WrapperBase(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def get_config(self):
        return {**super().get_config(), "inner": keras.saving.serialize_keras_object(self.inner)}

    @classmethod
    def from_config(cls, config):
        config["inner"] = keras.saving.deserialize_keras_object(config["inner"])
        return cls(**config)


# make: Gated(keras.layers.Dense(4))
@keras.saving.register_keras_serializable(package="corpus")
class Gated(WrapperBase):
    def call(self, x):
        return self.inner(x) * x


def example():
    return Gated(keras.layers.Dense(4))
