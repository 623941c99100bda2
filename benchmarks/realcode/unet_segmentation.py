# ruff: noqa
"""U-Net style image segmentation with custom conv blocks (4-D inputs)."""
import os

import cv2
import numpy as np
import tensorflow as tf
from tensorflow.keras import Model, layers
from tensorflow.keras.layers import Conv2D, MaxPooling2D, UpSampling2D

IMG_SIZE = 64
NUM_CLASSES = 3
DATA_DIR = os.path.join("data", "segmentation")


class ConvBlock(layers.Layer):
    def __init__(self, filters, kernel_size=3, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.conv1 = Conv2D(filters, kernel_size, padding="same", activation="relu")
        self.conv2 = Conv2D(filters, kernel_size, padding="same", activation="relu")
        self.norm = layers.BatchNormalization()

    def call(self, x, training=False):
        return self.norm(self.conv2(self.conv1(x)), training=training)

    def get_config(self):
        config = super().get_config()
        config.update({"filters": self.filters})
        return config


class SqueezeExcite(layers.Layer):
    def __init__(self, ratio=4, **kwargs):
        super().__init__(**kwargs)
        self.ratio = ratio

    def build(self, input_shape):
        channels = input_shape[-1]
        self.squeeze = layers.Dense(max(1, channels // self.ratio), activation="relu")
        self.excite = layers.Dense(channels, activation="sigmoid")

    def call(self, x):
        weights = keras_mean(x)
        weights = self.excite(self.squeeze(weights))
        return x * weights[:, None, None, :]


def keras_mean(x):
    return tf.reduce_mean(x, axis=[1, 2])


def build_unet(img_size=IMG_SIZE, num_classes=NUM_CLASSES):
    inputs = layers.Input(shape=(img_size, img_size, 3))
    c1 = ConvBlock(16)(inputs)
    p1 = MaxPooling2D()(c1)
    c2 = ConvBlock(32, kernel_size=5)(p1)
    c2 = SqueezeExcite(ratio=8)(c2)
    u1 = UpSampling2D()(c2)
    merged = layers.Concatenate()([u1, c1])
    c3 = ConvBlock(16)(merged)
    outputs = Conv2D(num_classes, 1, activation="softmax")(c3)
    return Model(inputs, outputs)


def load_images(folder):
    files = sorted(os.listdir(folder))
    return np.stack([cv2.resize(cv2.imread(os.path.join(folder, f)), (IMG_SIZE, IMG_SIZE))
                     for f in files])


if __name__ == "__main__":
    model = build_unet()
    x = load_images(os.path.join(DATA_DIR, "images"))
    y = load_images(os.path.join(DATA_DIR, "masks"))
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, y, epochs=20)
    model.save("unet.keras")
