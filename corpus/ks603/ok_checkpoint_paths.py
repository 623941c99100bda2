# runtime: ok
# Measured (CKPT d, e, f, i): these callbacks are accepted and write their files.
import keras


def callbacks(run_dir):
    return [
        keras.callbacks.ModelCheckpoint(f"{run_dir}/model_{{epoch}}.keras"),
        keras.callbacks.ModelCheckpoint(f"{run_dir}/w_{{epoch}}.weights.h5", save_weights_only=True),
        keras.callbacks.ModelCheckpoint(run_dir + "/legacy.h5"),
    ]
