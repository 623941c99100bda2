# ruff: noqa
"""Training with a warm-up cosine learning-rate schedule built from script constants."""

import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow import keras
from tqdm import tqdm

BATCH_SIZE = 64
EPOCHS = 10
TOTAL_STEPS = int((50000 / BATCH_SIZE) * EPOCHS)
WARMUP_EPOCH_PERCENTAGE = 0.15
WARMUP_STEPS = int(TOTAL_STEPS * WARMUP_EPOCH_PERCENTAGE)
LEARNING_RATE = 1e-3


class WarmUpCosine(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, learning_rate_base, total_steps, warmup_learning_rate, warmup_steps):
        super().__init__()
        self.learning_rate_base = learning_rate_base
        self.total_steps = total_steps
        self.warmup_learning_rate = warmup_learning_rate
        self.warmup_steps = warmup_steps
        self.pi = tf.constant(np.pi)

    def __call__(self, step):
        cos_annealed_lr = tf.cos(
            self.pi * (tf.cast(step, tf.float32) - self.warmup_steps)
            / float(self.total_steps - self.warmup_steps))
        learning_rate = 0.5 * self.learning_rate_base * (1 + cos_annealed_lr)
        return tf.where(step > self.total_steps, 0.0, learning_rate)


class LinearWarmup(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, peak, warmup_steps):
        super().__init__()
        self.peak = peak
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        step = keras.ops.cast(step, "float32")
        return self.peak * keras.ops.minimum(1.0, step / self.warmup_steps)

    def get_config(self):
        return {"peak": self.peak}


scheduled_lrs = WarmUpCosine(
    learning_rate_base=LEARNING_RATE,
    total_steps=TOTAL_STEPS,
    warmup_learning_rate=0.0,
    warmup_steps=WARMUP_STEPS,
)
linear = LinearWarmup(LEARNING_RATE, WARMUP_STEPS)
lrs = [scheduled_lrs(step) for step in tqdm(range(TOTAL_STEPS))]
pd.DataFrame({"lr": lrs}).to_csv("lrs.csv")
optimizer = keras.optimizers.Adam(scheduled_lrs)
