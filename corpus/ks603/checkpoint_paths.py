# runtime: save-fails
# Measured (docs/measurements/issue13_reported_failures.py, CKPT a, b, c, g): each callback
# raises ValueError when it is constructed, before training starts.
import os

import keras


def callbacks(run_dir):
    return [
        keras.callbacks.ModelCheckpoint(os.path.join(run_dir, "model_{epoch}")),  # expect: KS603
        keras.callbacks.ModelCheckpoint(run_dir + "/best.hdf5", save_best_only=True),  # expect: KS603
        keras.callbacks.ModelCheckpoint(f"{run_dir}/w_{{epoch}}.h5", save_weights_only=True),  # expect: KS603
    ]
