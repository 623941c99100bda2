"""get_config() does not merge super().get_config(): trainable, dtype and name are lost."""
import keras


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Bare(keras.layers.Layer):
    def __init__(self, a=1.0, **kwargs):
        super().__init__(**kwargs)
        self.a = a

    def call(self, x):
        return x * self.a

    def get_config(self):
        return {"a": self.a}
