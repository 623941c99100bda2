# runtime: ok
"""A decorator factory: export(path) returns a decorator that registers the class."""
import keras


def export(path):
    def register(symbol):
        keras.saving.register_keras_serializable(package="export_pkg")(symbol)
        return symbol

    return register
