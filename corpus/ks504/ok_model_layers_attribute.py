# runtime: ok
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Stack(keras.Model):
    """In a Model subclass, self._layers = [...] round-trips (measured, Keras 3.15)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._layers = [keras.layers.Dense(4), keras.layers.Dense(4)]

    def call(self, x):
        for layer in self._layers:
            x = layer(x)
        return x
