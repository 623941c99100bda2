# runtime: ok
"""`inputs_shape` and `context_shape` match call(self, inputs, context=None)."""
from keras import layers as L
from keras import saving


@saving.register_keras_serializable(package="corpus")
class Attend(L.Layer):
    def build(self, inputs_shape, context_shape=None):
        self.w = self.add_weight(shape=(inputs_shape[-1],), initializer="ones")

    def call(self, inputs, context=None):
        return inputs * self.w
