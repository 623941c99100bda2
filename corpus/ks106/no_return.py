# runtime: save-fails
"""get_config fills the dict but never returns it: Keras gets None."""
import keras


# make: NoRet(2.0)
@keras.saving.register_keras_serializable(package="corpus")
class NoRet(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):  # expect: KS106
        config = super().get_config()
        config["factor"] = self.factor


def example():
    return NoRet(2.0)
