# runtime: load-fails
# verify: Outer
"""Inner is only constructed inside Outer.__init__, but Outer's get_config serializes it, so it
must be found by name at load time: the exemption for inner classes does not apply."""
import keras


class Inner(keras.layers.Layer):  # expect: KS301
    def call(self, x):
        return x * 2.0


@keras.saving.register_keras_serializable(package="corpus")
class Outer(keras.layers.Layer):
    def __init__(self, inner=None, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner or Inner()

    def call(self, x):
        return self.inner(x)

    def get_config(self):
        return {**super().get_config(), "inner": keras.saving.serialize_keras_object(self.inner)}

    @classmethod
    def from_config(cls, config):
        config["inner"] = keras.saving.deserialize_keras_object(config["inner"])
        return cls(**config)
