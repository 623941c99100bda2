# runtime: ok
"""No super().get_config(), but name, trainable and the dtype policy are written by hand."""
import keras


# make: Bare(2.0, name="mine", trainable=False, dtype="float64")
@keras.saving.register_keras_serializable(package="corpus")
class Bare(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {"factor": self.factor, "name": self.name, "trainable": self.trainable,
                "dtype": keras.dtype_policies.serialize(self.dtype_policy)}


def example():
    return Bare(2.0, name="mine", trainable=False, dtype="float64")
