# runtime: ok
# verify: Child
"""get_config lives in a custom ancestor and covers the subclass's constructor arguments."""
import keras


@keras.saving.register_keras_serializable(package="corpus")
class ScaledBase(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


# make: Child(3.0)
@keras.saving.register_keras_serializable(package="corpus")
class Child(ScaledBase):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(factor=factor, **kwargs)


def example():
    return Child(3.0)
