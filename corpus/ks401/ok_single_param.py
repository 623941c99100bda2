# runtime: ok
"""A single build() parameter under any name receives the first input's shape."""
from keras.layers import Layer as Base
from keras.saving import register_keras_serializable


@register_keras_serializable(package="corpus")
class Scale(Base):
    def build(self, shape):
        self.w = self.add_weight(shape=(shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.w
