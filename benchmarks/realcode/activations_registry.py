# ruff: noqa
"""Custom activations registered the old way, a Lambda layer, and a model saved to a folder."""
import pandas as pd
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Activation, Dense, Lambda
from tensorflow.keras.utils import get_custom_objects


def swish(x, beta=1.0):
    return x * K.sigmoid(beta * x)


def mish(x):
    return x * K.tanh(K.softplus(x))


get_custom_objects().update({"swish": Activation(swish)})

data = pd.read_csv("housing.csv")
model = keras.Sequential([
    keras.Input((8,)),
    Dense(32, activation=mish),
    Lambda(lambda t: t * 2.0),
    Dense(1),
])
model.compile("adam", "mse")
model.fit(data.values[:, :8], data.values[:, 8], epochs=10)
model.save("saved_model_dir")
