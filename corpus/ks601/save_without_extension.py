# runtime: save-fails
import os

import keras


def train_and_save(out_dir):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.save(os.path.join(out_dir, "saved_model"))  # expect: KS601
    return model
