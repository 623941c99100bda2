# runtime: silent-diff
# verify: Double
import keras


@keras.saving.register_keras_serializable(package="corpus", name="Scale")
class Double(keras.layers.Layer):
    def call(self, x):
        return x * 2.0


@keras.saving.register_keras_serializable(package="corpus", name="Scale")
class Triple(keras.layers.Layer):  # expect: KS303
    def call(self, x):
        return x * 3.0
