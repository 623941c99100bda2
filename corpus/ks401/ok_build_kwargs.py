# runtime: ok
"""build(self, input_shape, **kwargs): a catch-all is not a named parameter, so Keras still
passes the single input shape."""
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Scale(keras.layers.Layer):
    def build(self, input_shape, **kwargs):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.w
