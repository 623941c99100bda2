import keras

from .common import OFFSET


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Offset(keras.layers.Layer):
    def __init__(self, offset=OFFSET, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, x):
        return x + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


print("module-level side effect of an ordinary import")
