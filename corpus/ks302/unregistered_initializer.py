# runtime: load-fails
import keras


def ones_init(shape, dtype=None):
    return keras.ops.ones(shape, dtype=dtype)


def build_model():
    return keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(4, kernel_initializer=ones_init),  # expect: KS302
    ])
