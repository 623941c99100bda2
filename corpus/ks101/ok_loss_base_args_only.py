# runtime: ok
"""Loss whose __init__ only forwards what the base config carries (name, reduction, dtype)."""
import keras


# make: Huberish(name="hub", reduction="sum")
@keras.saving.register_keras_serializable(package="corpus")
class Huberish(keras.losses.Loss):
    def __init__(self, name="huberish", reduction="sum_over_batch_size", dtype=None):
        super().__init__(name=name, reduction=reduction, dtype=dtype)

    def call(self, y_true, y_pred):
        return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)


def example():
    return Huberish(name="hub", reduction="sum")
