# runtime: ok
# verify: Masked
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Masked(keras.layers.Layer):
    def build(self, inputs_shape, mask_shape=None):
        self.w = self.add_weight(shape=(inputs_shape[-1],), initializer="ones")

    def call(self, inputs, mask=None):
        return inputs * self.w
