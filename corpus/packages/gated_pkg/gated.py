# runtime: load-fails
"""GatedBlock hands its nested layer to ProjectBase.__init__, which stores it unchanged
(self.inner = inner); GatedBlock.get_config() saves it with serialize_keras_object, and no
from_config in the chain rebuilds it, so load_model passes the saved dict to __init__ and the
reloaded layer fails on it."""
import keras

from gated_pkg.base import ProjectBase


# make: GatedBlock(keras.layers.Dense(4))
@keras.saving.register_keras_serializable(package="gated_pkg")
class GatedBlock(ProjectBase):
    def __init__(self, inner, bias=0.5, **kwargs):
        super().__init__(inner, **kwargs)
        self.bias = bias

    def gate(self, x):
        return keras.ops.sigmoid(x + self.bias)

    def get_config(self):
        config = super().get_config()
        config.update({
            "inner": keras.saving.serialize_keras_object(self.inner),  # expect: KS201
            "bias": self.bias,
        })
        return config


def example():
    return GatedBlock(keras.layers.Dense(4))
