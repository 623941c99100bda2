# runtime: silent-diff
"""Loss subclass with an extra parameter and no get_config: the base Loss config carries only
name/reduction/dtype, so the reloaded loss silently uses the default factor."""
import keras


# make: ScaledMSE(3.0)
@keras.saving.register_keras_serializable(package="corpus")
class ScaledMSE(keras.losses.Loss):  # expect: KS101
    def __init__(self, factor=1.0, name="scaled_mse", **kwargs):
        super().__init__(name=name, **kwargs)
        self.factor = factor

    def call(self, y_true, y_pred):
        return self.factor * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)


def example():
    return ScaledMSE(3.0)
