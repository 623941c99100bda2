# runtime: save-fails
"""super().get_config() on Regularizer raises NotImplementedError."""
import keras


# make: AbsPenalty(0.5)
@keras.saving.register_keras_serializable(package="corpus")
class AbsPenalty(keras.regularizers.Regularizer):
    def __init__(self, rate=0.01):
        self.rate = rate

    def __call__(self, w):
        return self.rate * keras.ops.sum(keras.ops.abs(w))

    def get_config(self):  # expect: KS106
        return {**super().get_config(), "rate": self.rate}


def example():
    return AbsPenalty(0.5)
