# runtime: load-fails
"""__init__ has no **kwargs but the config merges super(): Strict(name=...) fails at load."""
import keras


# make: Strict(2.0)
@keras.saving.register_keras_serializable(package="corpus")
class Strict(keras.layers.Layer):
    def __init__(self, factor):  # expect: KS104
        super().__init__()
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def example():
    return Strict(2.0)
