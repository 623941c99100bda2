# runtime: load-fails
import keras


def twice(x):
    return x * 2.0


def build_model():
    return keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(4, activation=twice),  # expect: KS302
    ])
