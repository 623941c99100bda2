# runtime: load-fails
"""get_config returns the sublayer object itself and there is no from_config: Keras serializes it
to a dict on save, and cls(**config) hands that dict to __init__ on load."""
import keras


# make: Wrap(keras.layers.Dense(4))
@keras.saving.register_keras_serializable(package="corpus")
class Wrap(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)

    def get_config(self):
        config = super().get_config()
        config["inner"] = self.inner  # expect: KS201
        return config


def example():
    return Wrap(keras.layers.Dense(4))
