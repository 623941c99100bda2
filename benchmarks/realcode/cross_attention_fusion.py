# ruff: noqa
"""Multimodal fusion: cross attention between image patches and text tokens (several inputs)."""
import keras
import matplotlib
import numpy as np
from keras import layers, ops

matplotlib.use("Agg")
import matplotlib.pyplot as plt

NUM_PATCHES = 16
NUM_TOKENS = 12
DIM = 32
HEADS = 4


class CrossAttention(layers.Layer):
    def __init__(self, dim, heads, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.heads = heads
        self.mha = layers.MultiHeadAttention(num_heads=heads, key_dim=dim // heads)
        self.norm = layers.LayerNormalization()

    def call(self, query, context):
        return self.norm(query + self.mha(query, context))


class MeanPoolWithMask(layers.Layer):
    def call(self, x, mask=None):
        if mask is None:
            return ops.mean(x, axis=1)
        mask = ops.cast(mask, x.dtype)[..., None]
        return ops.sum(x * mask, axis=1) / ops.maximum(ops.sum(mask, axis=1), 1.0)


class LearnedQuery(layers.Layer):
    def __init__(self, num_queries, dim, **kwargs):
        super().__init__(**kwargs)
        self.num_queries = num_queries
        self.dim = dim

    def build(self, input_shape):
        self.queries = self.add_weight(shape=(self.num_queries, self.dim), name="queries")

    def call(self, x):
        batch = ops.shape(x)[0]
        return ops.broadcast_to(self.queries[None], (batch, self.num_queries, self.dim))


def build_fusion_model(num_patches=NUM_PATCHES, num_tokens=NUM_TOKENS):
    image_tokens = keras.Input(shape=(num_patches, DIM), name="image")
    text_tokens = keras.Input(shape=(num_tokens, DIM), name="text")
    fused = CrossAttention(DIM, HEADS)(image_tokens, text_tokens)
    queries = LearnedQuery(4, DIM)(fused)
    pooled = MeanPoolWithMask()(queries)
    return keras.Model({"image": image_tokens, "text": text_tokens}, layers.Dense(2)(pooled))


model = build_fusion_model()
history = model.fit({"image": np.load("img.npy"), "text": np.load("txt.npy")},
                    np.load("y.npy"), epochs=3)
plt.plot(history.history["loss"])
plt.savefig("loss.png")
