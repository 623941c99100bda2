# runtime: save-fails
# Measured (docs/measurements/issue13_reported_failures.py, SAVE e, f, h): Keras 3 raises
# before writing anything.
import keras


def export(model: keras.Model, out_dir):
    model.save(out_dir + "/model.keras", signatures=None)  # expect: KS605
    model.save(out_dir + "/model.keras", save_traces=False)  # expect: KS605
    model.save_weights(out_dir + "/model.weights.h5", save_format="h5")  # expect: KS605
