"""A correct custom layer: registered, get_config merges super() and every argument."""
import keras


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, units=4, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones")

    def call(self, x):
        return keras.ops.matmul(x, self.w) * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "units": self.units}
