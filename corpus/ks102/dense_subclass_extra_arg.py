# runtime: silent-diff
"""A Dense subclass adds `scale` but keeps Dense.get_config, which does not know about it."""
import keras


# make: Scaled(2, scale=3.0, kernel_initializer="ones")
@keras.saving.register_keras_serializable(package="corpus")
class Scaled(keras.layers.Dense):
    def __init__(self, units, scale=1.0, **kwargs):  # expect: KS102
        super().__init__(units, **kwargs)
        self.scale = scale

    def call(self, x):
        return super().call(x) * self.scale


def example():
    return Scaled(2, scale=3.0, kernel_initializer="ones")
