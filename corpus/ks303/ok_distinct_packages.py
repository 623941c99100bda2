# runtime: ok
import keras


@keras.saving.register_keras_serializable(package="corpus_a", name="Scale")
class Double(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


@keras.saving.register_keras_serializable(package="corpus_b", name="Scale")
class Triple(keras.layers.Layer):
    def call(self, x):
        return x * 3.0
