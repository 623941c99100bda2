# runtime: ok
import os

import keras
import numpy as np


def train_and_save(out_dir):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.save(os.path.join(out_dir, f"{model.name}.keras"))
    model.save_weights(out_dir + "/model.weights.h5")
    np.save(os.path.join(out_dir, "inputs"), np.zeros((2, 4)))
    return model
