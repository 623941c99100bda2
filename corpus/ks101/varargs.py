# runtime: save-fails
"""*args parameter that the caller fills: the auto-config cannot store variadic positionals."""
import keras


# make: Sum(2.0, 3.0)
@keras.saving.register_keras_serializable(package="corpus")
class Sum(keras.layers.Layer):  # expect: KS101
    def __init__(self, *factors, **kwargs):
        super().__init__(**kwargs)
        self.total = float(sum(factors))

    def call(self, x):
        return x * self.total


def make():
    return Sum(2.0, 3.0)
