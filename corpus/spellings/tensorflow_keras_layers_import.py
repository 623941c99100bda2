# runtime: static-only
# (tensorflow is not installed in the kcheck environment, so this file can only be parsed;
#  the runtime twin is corpus/ks401/extra_default.py)
"""`from tensorflow.keras.layers import Layer`: build() with a non-shape parameter."""
from tensorflow.keras.layers import Layer
from tensorflow.keras.saving import register_keras_serializable


@register_keras_serializable(package="corpus")
class Project(Layer):
    def build(self, input_shape, units=4):  # expect: KS401
        self.w = self.add_weight(shape=(input_shape[-1], units))

    def call(self, x):
        return x @ self.w
