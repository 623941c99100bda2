# runtime: silent-diff
"""get_config leaves out `shift`, which has a default: the reloaded layer uses shift=0.0."""
import keras


# make: Affine(2.0, 5.0)
@keras.saving.register_keras_serializable(package="corpus")
class Affine(keras.layers.Layer):
    def __init__(self, scale=1.0, shift=0.0, **kwargs):  # expect: KS102
        super().__init__(**kwargs)
        self.scale = scale
        self.shift = shift

    def call(self, x):
        return x * self.scale + self.shift

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


def example():
    return Affine(2.0, 5.0)
