# runtime: save-fails
"""The default of an __init__ parameter is an object (an initializer); the auto-config includes
defaults, so saving fails even when the caller passes nothing."""
import keras
from keras.layers import Layer as Base


@keras.saving.register_keras_serializable(package="corpus")
class Bias(Base):  # expect: KS101
    def __init__(self, initializer=keras.initializers.Zeros(), **kwargs):
        super().__init__(**kwargs)
        self.initializer = initializer

    def build(self, input_shape):
        self.b = self.add_weight(shape=(input_shape[-1],), initializer=self.initializer)

    def call(self, x):
        return x + self.b
