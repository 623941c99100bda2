# runtime: save-fails
"""Keyword-only extra build() parameter: Keras counts keyword-only parameters too."""
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Project(keras.layers.Layer):
    def build(self, input_shape, *, units=4):  # expect: KS401
        self.w = self.add_weight(shape=(input_shape[-1], units))

    def call(self, x):
        return x @ self.w
