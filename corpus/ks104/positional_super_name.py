# runtime: static-only
"""super().__init__(name): Layer.__init__ is keyword-only, so building the layer fails.

Measured (docs/measurements/issue4_config_rules.py): `TypeError: Layer.__init__() takes 1
positional argument but 2 were given` before any save; the verifier reports a class it cannot
build as inconclusive, hence static-only."""
import keras


# make: Pos(2.0, "pos")
@keras.saving.register_keras_serializable(package="corpus")
class Pos(keras.layers.Layer):
    def __init__(self, factor=1.0, name=None, **kwargs):
        super().__init__(name, **kwargs)  # expect: KS104
        self.factor = factor

    def call(self, x):
        return x * self.factor


def example():
    return Pos(2.0, "pos")
