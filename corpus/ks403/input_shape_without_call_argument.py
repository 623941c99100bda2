# runtime: save-fails
# verify: Masked
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Masked(keras.layers.Layer):
    def build(self, input_shape, mask_shape=None):  # expect: KS403
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, inputs, mask=None):
        return inputs * self.w
