# runtime: ok
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Block(keras.layers.Layer):
    """A composite *layer* whose build() never builds its children round-trips inside a
    functional or Sequential model on every Keras 3 release measured (3.0.0, 3.0.5, 3.3.3,
    3.15.1): loading runs the model's forward pass, which builds them."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(4)

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(4,), initializer="ones")

    def call(self, x):
        return self.inner(x) * self.scale
