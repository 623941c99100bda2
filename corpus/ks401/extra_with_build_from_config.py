# runtime: save-fails
"""Extra build() parameter together with get_build_config/build_from_config: the overrides only
matter at load time; the implicit build on first call still fails (measured, Keras 3.15)."""
import keras
from keras.layers import Layer as Base


@keras.saving.register_keras_serializable(package="corpus")
class Project(Base):
    def build(self, input_shape, units=4):  # expect: KS403
        self.units = units
        self.in_dim = int(input_shape[-1])
        self.w = self.add_weight(shape=(self.in_dim, units))

    def call(self, x):
        return x @ self.w

    def get_build_config(self):
        return {"in_dim": self.in_dim, "units": self.units}

    def build_from_config(self, config):
        self.build((None, config["in_dim"]), config["units"])
