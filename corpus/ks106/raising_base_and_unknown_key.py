# runtime: save-fails
"""Two mistakes in one get_config(): it merges Regularizer.get_config(), which raises
NotImplementedError (KS106: saving fails), and it emits 'strength', which no __init__ parameter
takes (KS102: once the first is fixed, loading fails on the unexpected keyword). Both are
reported; the round trip shows the first."""
import keras


# make: L1Rate(0.5)
@keras.saving.register_keras_serializable(package="corpus")
class L1Rate(keras.regularizers.Regularizer):
    def __init__(self, rate=0.01):
        self.rate = rate

    def __call__(self, w):
        return self.rate * keras.ops.sum(keras.ops.abs(w))

    def get_config(self):  # expect: KS106
        config = super().get_config()
        config.update({"strength": self.rate})  # expect: KS102
        return config


def example():
    return L1Rate(0.5)
