# runtime: save-fails
"""build() takes a required non-shape parameter: the implicit build on first call fails."""
from keras import layers as L
from keras import saving


@saving.register_keras_serializable(package="corpus")
class Project(L.Layer):
    def build(self, input_shape, units):  # expect: KS401
        self.w = self.add_weight(shape=(input_shape[-1], units))

    def call(self, inputs):
        return inputs @ self.w
