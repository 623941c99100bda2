# ruff: noqa
"""Sinusoidal positional encoding and a masked self-attention block for sequence models."""
import keras
import numpy as np
from keras import layers, ops
from tqdm import tqdm

SEQ_LEN = 16
D_MODEL = 32


def positional_angles(length, depth):
    positions = np.arange(length)[:, None]
    depths = np.arange(depth)[None, :] / depth
    return positions / (10000 ** depths)


class PositionalEncoding(layers.Layer):
    def __init__(self, length, d_model, **kwargs):
        super().__init__(**kwargs)
        self.length = length
        self.d_model = d_model
        angles = positional_angles(length, d_model)
        self.encoding = np.concatenate([np.sin(angles), np.cos(angles)], axis=-1)[:, :d_model]

    def call(self, x):
        length = ops.shape(x)[1]
        return x * ops.sqrt(float(self.d_model)) + self.encoding[None, :length, :]

    def get_config(self):
        return {**super().get_config(), "length": self.length, "d_model": self.d_model,
                "encoding": self.encoding}


class CausalSelfAttention(layers.Layer):
    def __init__(self, num_heads, key_dim, dropout=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mha = layers.MultiHeadAttention(num_heads=num_heads, key_dim=key_dim,
                                             dropout=dropout)
        self.add = layers.Add()
        self.norm = layers.LayerNormalization()

    def call(self, x):
        attn = self.mha(query=x, value=x, key=x, use_causal_mask=True)
        return self.norm(self.add([x, attn]))


inputs = keras.Input(shape=(SEQ_LEN, D_MODEL))
x = PositionalEncoding(SEQ_LEN, D_MODEL)(inputs)
x = CausalSelfAttention(num_heads=4, key_dim=8)(x)
model = keras.Model(inputs, x)
for step in tqdm(range(100)):
    model.train_on_batch(np.random.rand(8, SEQ_LEN, D_MODEL), np.random.rand(8, SEQ_LEN, D_MODEL))
model.save("decoder")
