# runtime: ok
"""build() parameters named after call() arguments (`x_shape`, `mask_shape`): Keras passes each
shape by name on first call."""
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Masked(keras.layers.Layer):
    def build(self, x_shape, mask_shape=None):
        self.w = self.add_weight(shape=(x_shape[-1],), initializer="ones")

    def call(self, x, mask=None):
        return x * self.w
