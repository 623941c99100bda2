# runtime: save-fails
"""A set in the config: Keras cannot serialize a TrackedSet."""
import keras


# make: Pick((1, 3))
@keras.saving.register_keras_serializable(package="corpus")
class Pick(keras.layers.Layer):
    def __init__(self, keep=(0,), **kwargs):
        super().__init__(**kwargs)
        self.keep = set(keep)

    def call(self, x):
        return keras.ops.take(x, sorted(self.keep), axis=-1)

    def get_config(self):
        config = super().get_config()
        config["keep"] = self.keep  # expect: KS105
        return config


def example():
    return Pick((1, 3))
