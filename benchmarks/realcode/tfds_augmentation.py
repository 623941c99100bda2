# ruff: noqa
"""Data augmentation layers and a small CNN on a tensorflow_datasets dataset."""
import tensorflow as tf
import tensorflow_datasets as tfds
from tensorflow import keras
from tensorflow.keras import layers

AUTOTUNE = tf.data.AUTOTUNE
IMG_SIZE = 28
(train_ds, val_ds), info = tfds.load("mnist", split=["train[:80%]", "train[80%:]"],
                                    as_supervised=True, with_info=True)
num_classes = info.features["label"].num_classes


class RandomInvert(layers.Layer):
    def __init__(self, factor=0.5, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x, training=None):
        if not training:
            return x
        return tf.where(tf.random.uniform([]) < self.factor, 255 - x, x)


class Rescale(layers.Layer):
    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset

    def call(self, x):
        return x * self.scale + self.offset

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


model = keras.Sequential([
    layers.Input(shape=(IMG_SIZE, IMG_SIZE, 1)),
    Rescale(1.0 / 255, offset=-0.5),
    RandomInvert(0.3),
    layers.Conv2D(16, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10),
])
train_ds = train_ds.batch(32).prefetch(AUTOTUNE)
model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(train_ds, validation_data=val_ds.batch(32), epochs=5)
