# runtime: load-fails
# verify: Base
"""The unregistered base class is subclassed, but it is also constructed and used directly."""
import keras


class Base(keras.layers.Layer):  # expect: KS301
    def call(self, x):
        return x * 2.0


@keras.saving.register_keras_serializable(package="corpus")
class Child(Base):
    def call(self, x):
        return x * 3.0


def build_model():
    inp = keras.Input((4,))
    return keras.Model(inp, Child()(Base()(inp)))
