# runtime: ok
"""Registration without a decorator: the call form (result kept or discarded) and an entry in
get_custom_objects() under the bare class name (the name Keras 3 writes for a class that
register_keras_serializable never saw)."""
import keras


class A(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


class B(keras.layers.Layer):
    def call(self, x):
        return x * 3.0


class C(keras.layers.Layer):
    def call(self, x):
        return x * 4.0


A = keras.saving.register_keras_serializable(package="corpus")(A)
keras.saving.register_keras_serializable(package="corpus")(B)
keras.saving.get_custom_objects()["C"] = C
