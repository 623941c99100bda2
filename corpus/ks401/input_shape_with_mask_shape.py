# runtime: save-fails
"""build(self, input_shape, mask_shape=None) with call(self, x, mask=None): once build() has more
than one parameter, Keras matches every parameter name to a call() argument, and `input_shape`
does not match `x`, so the first call fails even though both names end in `_shape`."""
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Masked(keras.layers.Layer):
    def build(self, input_shape, mask_shape=None):  # expect: KS403
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, x, mask=None):
        return x * self.w
