# runtime: ok
import keras


def twice(x):
    return x * 2.0


def build_model():
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(4, activation=twice)])


def load(path):
    return keras.models.load_model(path, custom_objects={"twice": twice})
