# ruff: noqa
"""Custom losses and metrics for an imbalanced classifier."""
import pandas as pd
from sklearn.model_selection import train_test_split
from tensorflow import keras

ALPHA = 0.25
GAMMA = 2.0
df = pd.read_csv("creditcard.csv")
x_train, x_val, y_train, y_val = train_test_split(df.drop("Class", axis=1), df["Class"])


class FocalLoss(keras.losses.Loss):
    def __init__(self, alpha=ALPHA, gamma=GAMMA, name="focal_loss"):
        super().__init__(name=name)
        self.alpha = alpha
        self.gamma = gamma

    def call(self, y_true, y_pred):
        y_pred = keras.ops.clip(y_pred, 1e-7, 1 - 1e-7)
        ce = -y_true * keras.ops.log(y_pred)
        weight = self.alpha * keras.ops.power(1 - y_pred, self.gamma)
        return keras.ops.sum(weight * ce, axis=-1)


class F1Score(keras.metrics.Metric):
    def __init__(self, threshold=0.5, name="f1", **kwargs):
        super().__init__(name=name, **kwargs)
        self.threshold = threshold
        self.tp = self.add_weight(name="tp", initializer="zeros")
        self.fp = self.add_weight(name="fp", initializer="zeros")
        self.fn = self.add_weight(name="fn", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = keras.ops.cast(y_pred > self.threshold, "float32")
        y_true = keras.ops.cast(y_true, "float32")
        self.tp.assign_add(keras.ops.sum(y_true * y_pred))
        self.fp.assign_add(keras.ops.sum((1 - y_true) * y_pred))
        self.fn.assign_add(keras.ops.sum(y_true * (1 - y_pred)))

    def result(self):
        precision = self.tp / (self.tp + self.fp + 1e-7)
        recall = self.tp / (self.tp + self.fn + 1e-7)
        return 2 * precision * recall / (precision + recall + 1e-7)


def weighted_bce(y_true, y_pred):
    return keras.ops.mean(keras.losses.binary_crossentropy(y_true, y_pred) * (1 + 9 * y_true))


model = keras.Sequential([keras.Input((30,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile("adam", loss=FocalLoss(gamma=3.0), metrics=[F1Score(0.4)])
model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=5)
model.save("fraud.keras")
reloaded = keras.models.load_model("fraud.keras", custom_objects={"weighted_bce": weighted_bce})
