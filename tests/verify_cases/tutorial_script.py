"""A tutorial-style script: plotting and data helpers that are not installed, tf.keras spellings,
and a schedule built from script constants (one of which fails to evaluate)."""
import kcheck_missing_plotting.pyplot as plt
import numpy as np
import tensorflow as tf
from kcheck_missing_progress import tqdm
from tensorflow import keras
from tensorflow.keras import layers

EPOCHS = 4
STEPS = 0
BROKEN = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=STEPS, decay_rate=0.9)
SCHEDULE = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=EPOCHS * 10,
                                                       decay_rate=0.9)


@keras.utils.register_keras_serializable(package="kcheck_tutorial")
class Shift(layers.Layer):
    """Loads and round-trips without any of the missing modules."""

    def __init__(self, offset=1.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, x):
        return x + self.offset

    def get_config(self):
        return {**super().get_config(), "offset": self.offset}


@keras.utils.register_keras_serializable(package="kcheck_tutorial")
class Forgetful(tf.keras.layers.Layer):
    """get_config() drops `offset`: confirmed, although tensorflow is only a stand-in."""

    def __init__(self, offset=1.0, **kwargs):
        super().__init__(**kwargs)
        self.offset = offset

    def call(self, x):
        return x + self.offset

    def get_config(self):
        return super().get_config()


@keras.utils.register_keras_serializable(package="kcheck_tutorial")
class TfOps(keras.layers.Layer):
    """Calls a TensorFlow op: needs tensorflow."""

    def call(self, x):
        return tf.nn.relu(x)


@keras.utils.register_keras_serializable(package="kcheck_tutorial")
class Careless(keras.layers.Layer):
    """Swallows the stand-in's error and carries on: still inconclusive, never a verdict."""

    def __init__(self, palette=plt.cm.viridis, **kwargs):
        super().__init__(**kwargs)
        try:
            self.colours = len(palette)
        except Exception:  # noqa: BLE001 - the point of the case
            self.colours = 0

    def call(self, x):
        return x * 2.0

    def get_config(self):
        return super().get_config()


for epoch in tqdm(range(EPOCHS)):
    plt.plot(np.zeros(3))
