# runtime: load-fails
"""A list of sublayers serialized element by element, no from_config."""
import keras


# make: Stack([keras.layers.Dense(4), keras.layers.Dense(4)])
@keras.saving.register_keras_serializable(package="corpus")
class Stack(keras.layers.Layer):
    def __init__(self, blocks, **kwargs):
        super().__init__(**kwargs)
        self.blocks = blocks

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return x

    def get_config(self):
        config = super().get_config()
        config["blocks"] = [keras.saving.serialize_keras_object(b) for b in self.blocks]  # expect: KS201
        return config


def example():
    return Stack([keras.layers.Dense(4), keras.layers.Dense(4)])
