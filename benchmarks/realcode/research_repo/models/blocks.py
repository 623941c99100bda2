# ruff: noqa
"""Building blocks of a research repository's models (a library module, no script code)."""
import tensorflow as tf
from tensorflow.keras import layers

from .config import DEFAULT_DROP_PATH, EXPANSION


class StochasticDepth(layers.Layer):
    def __init__(self, drop_prob=DEFAULT_DROP_PATH, **kwargs):
        super().__init__(**kwargs)
        self.drop_prob = drop_prob

    def call(self, x, training=None):
        if training:
            keep = 1 - self.drop_prob
            shape = (tf.shape(x)[0],) + (1,) * (len(x.shape) - 1)
            return x / keep * tf.floor(keep + tf.random.uniform(shape, 0, 1))
        return x


class DepthwiseSeparable(layers.Layer):
    def __init__(self, filters, kernel_size=3, expansion=EXPANSION, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.kernel_size = kernel_size
        self.expansion = expansion
        self.depthwise = layers.DepthwiseConv2D(kernel_size, padding="same")
        self.pointwise = layers.Conv2D(filters * expansion, 1)

    def call(self, x):
        return self.pointwise(self.depthwise(x))

    def get_config(self):
        config = super().get_config()
        config.update({"filters": self.filters, "kernel_size": self.kernel_size})
        return config


class MLPMixerBlock(layers.Layer):
    def __init__(self, num_patches, hidden_units, dropout_rate, **kwargs):
        super().__init__(**kwargs)
        self.num_patches = num_patches
        self.hidden_units = hidden_units
        self.dropout_rate = dropout_rate
        self.token_mix = layers.Dense(num_patches)
        self.channel_mix = layers.Dense(hidden_units)
        self.norm = layers.LayerNormalization(epsilon=1e-6)

    def call(self, x):
        y = tf.transpose(self.norm(x), perm=(0, 2, 1))
        y = tf.transpose(self.token_mix(y), perm=(0, 2, 1))
        x = x + y
        return x + self.channel_mix(self.norm(x))
