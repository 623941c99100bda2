# runtime: ok
# verify: Outer
"""Unregistered Inner (with weights) is only constructed inside the registered Outer.build."""
import keras


class Inner(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="random_normal")

    def call(self, x):
        return x * self.w


@keras.saving.register_keras_serializable(package="corpus")
class Outer(keras.layers.Layer):
    def build(self, input_shape):
        self.inner = Inner()
        self.inner.build(input_shape)

    def call(self, x):
        return self.inner(x)
