# runtime: load-fails
"""An unregistered Loss passed to compile: load_model (compile=True by default) fails."""
import keras


class AbsLoss(keras.losses.Loss):  # expect: KS301
    def call(self, y_true, y_pred):
        return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)


def build_model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss=AbsLoss())
    return model
