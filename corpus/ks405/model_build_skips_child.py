# runtime: silent-diff
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Scorer(keras.Model):
    """load_model calls build() and loads the weights without running call(): the Dense gets
    none (Keras 3.0.0: load fails "Layer 'dense' was never built"; 3.0.5 to 3.15.1: the model
    loads with a freshly initialised Dense, outputs differ)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.head = keras.layers.Dense(4)

    def build(self, input_shape):  # expect: KS405
        self.scale = self.add_weight(shape=(4,), initializer="ones")

    def call(self, x):
        return self.head(x) * self.scale
