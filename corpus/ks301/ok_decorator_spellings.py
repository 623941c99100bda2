# runtime: ok
"""Registration decorator in its usual spellings."""
import keras
from keras.saving import register_keras_serializable
from keras.utils import register_keras_serializable as reg


@keras.saving.register_keras_serializable()
class A(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


@register_keras_serializable(package="corpus", name="b_layer")
class B(keras.layers.Layer):
    def call(self, x):
        return x * 3.0


@reg(package="corpus")
class C(keras.layers.Layer):
    def call(self, x):
        return x * 4.0


@keras.utils.register_keras_serializable(package="corpus")
class D(keras.layers.Layer):
    def call(self, x):
        return x * 5.0
