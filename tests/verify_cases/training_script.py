"""A script: definitions first, then training code that must never run during verification."""
import keras
import numpy as np

SCALE = 3.0
HIDDEN = SCALE * 2


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Triple(keras.layers.Layer):
    def __init__(self, factor=SCALE, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


data = np.load("does_not_exist.npy")
model = keras.Sequential([keras.Input((4,)), Triple()])
model.compile("adam", "mse")
model.fit(data, data, epochs=1000)
while True:
    pass

if __name__ == "__main__":
    raise SystemExit("the main block ran")
