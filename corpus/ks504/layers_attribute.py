# runtime: silent-diff
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Stack(keras.layers.Layer):
    """self._layers is where Keras's Layer keeps its tracked sublayers: replacing it loses the
    Dense weights at load (the model loads, outputs differ)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._layers = [keras.layers.Dense(4), keras.layers.Dense(4)]  # expect: KS504

    def call(self, x):
        for layer in self._layers:
            x = layer(x)
        return x
