# runtime: save-fails
"""A keras.Model subclass with a required argument, no get_config and no **kwargs:
Model.__new__ passes no arguments to be recorded, so there is no generated config and
model.save() raises NotImplementedError (KS101). KS104 does not apply: no config carries
'trainable' or 'dtype' to an __init__ that rejects them."""
import keras


# make: Tower(8)
@keras.saving.register_keras_serializable(package="corpus")
class Tower(keras.Model):  # expect: KS101
    def __init__(self, units):
        super().__init__()
        self.dense = keras.layers.Dense(units)

    def call(self, x):
        return self.dense(x)


def example():
    return Tower(8)
