# runtime: ok
# verify: Proj
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Proj(keras.layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units))

    def call(self, x):
        return x @ self.w

    def get_config(self):
        return {**super().get_config(), "units": self.units}

    def build_from_config(self, config):
        self.build(config["input_shape"])
