# runtime: load-fails
# Measured (docs/measurements/issue13_reported_failures.py, FUNCREF a): "Could not locate
# function 'same_shape'" at load_model; the verifier confirms it by building this Lambda call.
import keras


@keras.saving.register_keras_serializable(package="corpus")
def double(x):
    return x * 2.0


def same_shape(shape):
    return shape


def build_model():
    inputs = keras.Input((4,))
    outputs = keras.layers.Lambda(double, output_shape=same_shape)(inputs)  # expect: KS302
    return keras.Model(inputs, outputs)
