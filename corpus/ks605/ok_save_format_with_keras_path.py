# runtime: ok
# Measured (SAVE a, b, d, i): save_format= with a .keras or .h5 path only logs a deprecation
# warning; include_optimizer= is still read.
import keras


def export(model: keras.Model, out_dir):
    model.save(out_dir + "/model.keras", save_format="tf")
    model.save(out_dir + "/model.h5", save_format="h5", include_optimizer=False)
