"""build() takes an extra argument: Keras 3.15 refuses it at the first call, whatever the input."""
import keras


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Init(keras.layers.Layer):
    def build(self, input_shape, initializer="ones"):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer=initializer)

    def call(self, x):
        return x * self.w
