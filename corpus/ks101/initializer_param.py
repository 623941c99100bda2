# runtime: silent-diff
"""Initializer subclass with a parameter and no get_config: Initializer.get_config returns {},
so the value comes back as the default."""
import keras


# make: Fill(3.0)
@keras.saving.register_keras_serializable(package="corpus")
class Fill(keras.initializers.Initializer):  # expect: KS101
    def __init__(self, value=1.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return keras.ops.full(shape, self.value, dtype=dtype)


def example():
    return Fill(3.0)
