# runtime: save-fails
"""Regularizer subclass with a parameter and no get_config: Regularizer.get_config raises
NotImplementedError when the object is serialized."""
import keras


# make: AbsPenalty(0.5)
@keras.saving.register_keras_serializable(package="corpus")
class AbsPenalty(keras.regularizers.Regularizer):  # expect: KS101
    def __init__(self, rate=0.01):
        self.rate = rate

    def __call__(self, w):
        return self.rate * keras.ops.sum(keras.ops.abs(w))


def example():
    return AbsPenalty(0.5)
