# runtime: ok
"""A Dense subclass whose arguments are all Dense's own: Dense.get_config carries them."""
import keras


# make: Wide(8, activation="tanh")
@keras.saving.register_keras_serializable(package="corpus")
class Wide(keras.layers.Dense):
    def __init__(self, units=64, activation="relu", **kwargs):
        super().__init__(units, activation=activation, **kwargs)


def example():
    return Wide(8, activation="tanh")
