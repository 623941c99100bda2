# runtime: ok
"""Registered subclass of the package's base class through an absolute import; the constructor
argument is inherited from ResidualBase and is a float, so auto-config covers it."""
import keras

from resnet_pkg.base import ResidualBase


# make: HalfResidual(2.0)
@keras.saving.register_keras_serializable(package="resnet_pkg")
class HalfResidual(ResidualBase):
    def branch(self, x):
        return x * 0.5


def example():
    return HalfResidual(2.0)
