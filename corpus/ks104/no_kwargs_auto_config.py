# runtime: load-fails
"""No get_config and no **kwargs: Keras's generated config drops `name` but keeps `trainable`
and `dtype`, which __init__ rejects."""
import keras


# make: Strict(2.0)
@keras.saving.register_keras_serializable(package="corpus")
class Strict(keras.layers.Layer):
    def __init__(self, factor=1.0):  # expect: KS104
        super().__init__()
        self.factor = factor

    def call(self, x):
        return x * self.factor


def example():
    return Strict(2.0)
