# runtime: save-fails
"""build() takes a non-shape parameter with a default. Keras 3 builds a layer on first call with
build(**shapes): a build() with more than one parameter must name each one `<call arg>_shape`,
so the first call raises ValueError before anything can be saved."""
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Project(keras.layers.Layer):
    def build(self, input_shape, units=4):  # expect: KS401
        self.w = self.add_weight(shape=(input_shape[-1], units))

    def call(self, x):
        return x @ self.w
