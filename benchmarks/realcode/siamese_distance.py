# ruff: noqa
"""Siamese network with a distance layer over two embeddings (several inputs)."""
import random

import matplotlib.pyplot as plt
import numpy as np
from PIL import Image
from tensorflow import keras
from tensorflow.keras import layers

target_shape = (32, 32)
embedding_size = 16


class DistanceLayer(layers.Layer):
    """Computes the squared distances anchor-positive and anchor-negative."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def call(self, anchor, positive, negative):
        ap_distance = keras.ops.sum(keras.ops.square(anchor - positive), -1)
        an_distance = keras.ops.sum(keras.ops.square(anchor - negative), -1)
        return (ap_distance, an_distance)


class ScaledCosine(layers.Layer):
    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, inputs):
        a, b = inputs
        a = a / keras.ops.norm(a, axis=-1, keepdims=True)
        b = b / keras.ops.norm(b, axis=-1, keepdims=True)
        return self.scale * keras.ops.sum(a * b, axis=-1)


def load_image(path):
    return np.asarray(Image.open(path).resize(target_shape))


base = keras.Sequential([keras.Input(target_shape + (3,)), layers.Flatten(),
                         layers.Dense(embedding_size)])
anchor_input = layers.Input(name="anchor", shape=target_shape + (3,))
positive_input = layers.Input(name="positive", shape=target_shape + (3,))
negative_input = layers.Input(name="negative", shape=target_shape + (3,))
distances = DistanceLayer()(
    base(anchor_input),
    base(positive_input),
    base(negative_input),
)
similarity = ScaledCosine(10.0)([base(anchor_input), base(positive_input)])
siamese = keras.Model(inputs=[anchor_input, positive_input, negative_input],
                      outputs=[distances, similarity])
images = [load_image(f"img_{i}.png") for i in range(10)]
random.shuffle(images)
plt.imshow(images[0])
siamese.save("siamese.keras")
