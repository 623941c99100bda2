"""get_config() leaves out `shift`: the reloaded layer silently uses the default."""
import keras


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Affine(keras.layers.Layer):
    def __init__(self, scale=1.0, shift=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.shift = shift

    def call(self, x):
        return x * self.scale + self.shift

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}  # KS102: 'shift' is missing
