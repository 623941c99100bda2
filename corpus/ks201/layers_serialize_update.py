# runtime: load-fails
"""keras.layers.serialize inside config.update({...}), no from_config."""
import keras
from keras import layers as L


# make: Wrap(L.Dense(4))
@keras.saving.register_keras_serializable(package="corpus")
class Wrap(L.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "inner": L.serialize(self.inner),  # expect: KS201
            }
        )
        return config


def example():
    return Wrap(L.Dense(4))
