# runtime: load-fails
"""An activation function stored raw in the config and used directly (no keras.activations.get in
__init__, no from_config): it comes back as a dict, and calling it fails."""
import keras


# make: Act(keras.activations.relu)
@keras.saving.register_keras_serializable(package="corpus")
class Act(keras.layers.Layer):
    def __init__(self, fn=None, **kwargs):
        super().__init__(**kwargs)
        self.fn = fn

    def call(self, x):
        return self.fn(x - 0.5)

    def get_config(self):
        return {**super().get_config(), "fn": self.fn}  # expect: KS201


def example():
    return Act(keras.activations.relu)
