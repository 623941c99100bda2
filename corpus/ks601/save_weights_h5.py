# runtime: save-fails
import keras


def train_and_save(out_dir):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.save_weights(out_dir + "/weights.h5")  # expect: KS601
    return model
