# ruff: noqa
"""Time-series forecasting with a temporal attention layer over LSTM outputs (3-D inputs)."""
import keras
import pandas as pd
from keras import layers

WINDOW = 24
FEATURES = 5
df = pd.read_csv("jena_climate_2009_2016.csv")


class TemporalAttention(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units),
                                 initializer="glorot_uniform", name="w")
        self.v = self.add_weight(shape=(self.units, 1), initializer="glorot_uniform", name="v")

    def call(self, x):
        score = keras.ops.tanh(keras.ops.matmul(x, self.w))
        weights = keras.ops.softmax(keras.ops.matmul(score, self.v), axis=1)
        return keras.ops.sum(weights * x, axis=1)


@keras.saving.register_keras_serializable()
class GatedResidual(layers.Layer):
    def __init__(self, units, dropout=0.1, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dropout = dropout
        self.dense = layers.Dense(units)
        self.gate = layers.Dense(units, activation="sigmoid")
        self.drop = layers.Dropout(dropout)

    def call(self, x):
        return x + self.drop(self.dense(x) * self.gate(x))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def make_model():
    inputs = keras.Input(shape=(WINDOW, FEATURES))
    x = layers.LSTM(16, return_sequences=True)(inputs)
    x = GatedResidual(16, dropout=0.2)(x)
    x = TemporalAttention(8)(x)
    return keras.Model(inputs, layers.Dense(1)(x))


values = df.values.astype("float32")
model = make_model()
model.compile("adam", "mse")
model.fit(values[:, :FEATURES], values[:, -1], epochs=10)
model.save("forecast.keras")
