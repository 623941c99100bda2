# runtime: ok
# verify: Child
"""Unregistered base class that is only subclassed, never constructed: the file records the
registered subclass's name only."""
import keras


class Base(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.scale()


# make: Child(3.0)
@keras.saving.register_keras_serializable(package="corpus")
class Child(Base):
    def scale(self):
        return self.factor * 2.0


def example():
    return Child(3.0)
