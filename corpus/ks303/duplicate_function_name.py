# runtime: silent-diff
import keras


@keras.saving.register_keras_serializable(package="corpus", name="act")
def twice(x):
    return x * 2.0


@keras.saving.register_keras_serializable(package="corpus", name="act")
def thrice(x):  # expect: KS303
    return x * 3.0


def build_model():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation=twice)])
