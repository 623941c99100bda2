# runtime: load-fails
# Measured (docs/measurements/issue13_reported_failures.py, FUNCREF d, e): load_model with the
# default compile=True fails with "Could not locate function".
import keras


def warmup_rate():
    return 0.01


def mean_error(y_true, y_pred):
    return keras.ops.mean(keras.ops.abs(y_true - y_pred))


def build_model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=warmup_rate), loss="mse",  # expect: KS302
                  metrics=[keras.metrics.MeanMetricWrapper(mean_error)])  # expect: KS302
    return model
