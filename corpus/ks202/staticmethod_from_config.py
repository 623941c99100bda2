# runtime: ok
# verify: Scale
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}

    @staticmethod
    def from_config(config):
        return Scale(**config)
