# runtime: ok
"""Loss with an extra parameter and a get_config that adds it."""
import keras


# make: ScaledMAE(3.0)
@keras.saving.register_keras_serializable(package="corpus")
class ScaledMAE(keras.losses.Loss):
    def __init__(self, factor=1.0, name="scaled_mae", **kwargs):
        super().__init__(name=name, **kwargs)
        self.factor = factor

    def call(self, y_true, y_pred):
        return self.factor * keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def example():
    return ScaledMAE(3.0)
