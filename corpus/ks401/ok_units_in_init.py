# runtime: ok
"""The usual fix: the extra value is a constructor argument, build() only takes the shape."""
import keras


# make: Project(units=2)
@keras.saving.register_keras_serializable(package="corpus")
class Project(keras.layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units))

    def call(self, x):
        return x @ self.w


def example():
    return Project(units=2)
