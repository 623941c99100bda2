# runtime: load-fails
"""Subclass of the package's base class through an absolute import, never registered."""
import keras

from resnet_pkg.base import ResidualBase


# make: ScaledResidual(2.0)
class ScaledResidual(ResidualBase):  # expect: KS301
    def branch(self, x):
        return x * 0.5


def build_model():
    inp = keras.Input((4,))
    return keras.Model(inp, ScaledResidual(2.0)(inp))
