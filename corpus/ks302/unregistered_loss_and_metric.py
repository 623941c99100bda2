# runtime: load-fails
import keras
from keras import ops


def rmse(y_true, y_pred):
    return ops.sqrt(ops.mean(ops.square(y_true - y_pred)))


def mae(y_true, y_pred):
    return ops.mean(ops.abs(y_true - y_pred))


def build_model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss=rmse,  # expect: KS302
                  metrics=[mae])  # expect: KS302
    return model
