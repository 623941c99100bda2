# runtime: ok
# Measured (LOAD e, g): a .keras/.h5/.hdf5 file loads, and so does a folder written with
# save(..., zipped=False), which is why this module's folder path is not reported.
import keras


def restore(export_dir):
    model = keras.models.load_model(export_dir + "/model.keras")
    model.load_weights(export_dir + "/model.weights.h5")
    return model


def save_and_reload(model, export_dir):
    model.save(export_dir + "/model_dir", zipped=False)
    return keras.models.load_model(export_dir + "/model_dir")
