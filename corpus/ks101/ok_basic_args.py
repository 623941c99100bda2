# runtime: ok
"""Only basic constructor arguments (float, int, str, bool, None) and no get_config: Keras 3
records them itself."""
import keras


# make: Shift(2.0, offset=1, label="s", enabled=True)
@keras.saving.register_keras_serializable(package="corpus")
class Shift(keras.layers.Layer):
    def __init__(self, scale=1.0, offset=0, label=None, enabled=False, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.offset, self.label, self.enabled = scale, offset, label, enabled

    def call(self, x):
        return x * self.scale + self.offset


def example():
    return Shift(2.0, offset=1, label="s", enabled=True)
