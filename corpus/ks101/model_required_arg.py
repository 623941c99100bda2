# runtime: save-fails
"""keras.Model subclass with a required int argument and no get_config: the auto-config cannot bind
it (Model.__new__ drops the arguments), so get_config raises at save."""
from keras.models import Model
from keras import layers, saving


# make: Tower(8)
@saving.register_keras_serializable(package="corpus")
class Tower(Model):  # expect: KS101
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = layers.Dense(units)

    def call(self, x):
        return self.dense(x)


def example():
    return Tower(8)
