# runtime: ok
"""The config says "hidden", and a custom from_config maps it back to `h`."""
import keras


# make: Project(8)
@keras.saving.register_keras_serializable(package="corpus")
class Project(keras.layers.Layer):
    def __init__(self, h=4, **kwargs):
        super().__init__(**kwargs)
        self.h = h
        self.dense = keras.layers.Dense(h)

    def call(self, x):
        return self.dense(x)

    def get_config(self):
        return {**super().get_config(), "hidden": self.h}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(h=config.pop("hidden"), **config)


def example():
    return Project(8)
