# runtime: load-fails
"""self.h is saved as "hidden": __init__ takes `h`, so Layer.__init__ rejects `hidden`."""
import keras


# make: Project(8)
@keras.saving.register_keras_serializable(package="corpus")
class Project(keras.layers.Layer):
    def __init__(self, h=4, **kwargs):  # expect: KS102
        super().__init__(**kwargs)
        self.h = h
        self.dense = keras.layers.Dense(h)

    def call(self, x):
        return self.dense(x)

    def get_config(self):
        config = super().get_config()
        config["hidden"] = self.h  # expect: KS102
        return config


def example():
    return Project(8)
