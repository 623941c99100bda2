# runtime: silent-diff
"""get_config returns only its own key: name, trainable=False and dtype float64 are lost."""
import keras


# make: Bare(2.0, name="mine", trainable=False, dtype="float64")
@keras.saving.register_keras_serializable(package="corpus")
class Bare(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):  # expect: KS103
        return {"factor": self.factor}


def example():
    return Bare(2.0, name="mine", trainable=False, dtype="float64")
