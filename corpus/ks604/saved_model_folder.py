# runtime: load-fails
# Measured (docs/measurements/issue13_reported_failures.py, LOAD a, b, c, d, f, i): Keras 3
# raises "File format not supported" for these endings, whether the path exists or not.
import keras


def restore(export_dir):
    model = keras.models.load_model(export_dir + "/saved_model")  # expect: KS604
    model.load_weights(export_dir + "/training/cp.ckpt")  # expect: KS604
    return model
