# runtime: save-fails
# verify: GatedResidual
"""Subclasses of a base class from another file of the package (relative import).
DenseResidual is fine; GatedResidual takes a layer and neither it nor ResidualBase has get_config."""
import keras

from .base import ResidualBase


# make: DenseResidual(0.5)
@keras.saving.register_keras_serializable(package="resnet_pkg")
class DenseResidual(ResidualBase):
    def build(self, input_shape):
        self.dense = keras.layers.Dense(input_shape[-1])
        self.dense.build(input_shape)

    def branch(self, x):
        return self.dense(x)


# make: GatedResidual(keras.layers.Dense(4, activation="sigmoid"))
@keras.saving.register_keras_serializable(package="resnet_pkg")
class GatedResidual(ResidualBase):  # expect: KS101
    def __init__(self, gate, **kwargs):
        super().__init__(**kwargs)
        self.gate = gate

    def branch(self, x):
        return self.gate(x) * x


def example():
    return [DenseResidual(0.5), GatedResidual(keras.layers.Dense(4, activation="sigmoid"))]
