# runtime: silent-diff
"""keras.Model subclass with only a float argument: Model.__new__ drops the call arguments, so the
auto-config records the default (1.0), not the value passed (3.0)."""
import keras


# make: Scaler(factor=3.0)
@keras.saving.register_keras_serializable(package="corpus")
class Scaler(keras.Model):  # expect: KS101
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x) * self.factor


def example():
    return Scaler(factor=3.0)
