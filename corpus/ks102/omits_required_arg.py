# runtime: load-fails
"""get_config leaves out the required `shift`: Affine(**config) misses an argument at load."""
import keras


# make: Affine(2.0, 5.0)
@keras.saving.register_keras_serializable(package="corpus")
class Affine(keras.layers.Layer):
    def __init__(self, scale, shift, **kwargs):  # expect: KS102
        super().__init__(**kwargs)
        self.scale = scale
        self.shift = shift

    def call(self, x):
        return x * self.scale + self.shift

    def get_config(self):
        config = super().get_config()
        config.update({"scale": self.scale})
        return config


def example():
    return Affine(2.0, 5.0)
