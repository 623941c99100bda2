# runtime: save-fails
"""A variable in the config: Keras cannot serialize it (variables belong in the weights file)."""
import keras


# make: Gain()
@keras.saving.register_keras_serializable(package="corpus")
class Gain(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.w

    def get_config(self):
        return {**super().get_config(), "w": self.w}  # expect: KS105


def example():
    return Gain()
