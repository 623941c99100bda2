# runtime: save-fails
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Gain(keras.layers.Layer):
    """Ported from Keras 2, where add_weight's first parameter was the name."""

    def build(self, input_shape):
        self.gain = self.add_weight("gain", shape=(input_shape[-1],), initializer="ones")  # expect: KS404

    def call(self, x):
        return x * self.gain
