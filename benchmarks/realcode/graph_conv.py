# ruff: noqa
"""Node classification with a graph convolution layer: node features plus an edge list."""
import numpy as np
import pandas as pd
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

papers = pd.read_csv("cora.content", sep="\t", header=None)
NUM_FEATURES = 1433
HIDDEN = [32, 32]
DROPOUT = 0.5


class GraphConvLayer(layers.Layer):
    def __init__(self, hidden_units, dropout_rate=0.2, aggregation_type="mean",
                 normalize=False, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.aggregation_type = aggregation_type
        self.normalize = normalize
        self.ffn_prepare = keras.Sequential([layers.Dense(hidden_units[-1])])
        self.update_fn = keras.Sequential([layers.Dense(hidden_units[-1])])

    def call(self, inputs):
        node_representations, edges = inputs
        node_indices, neighbour_indices = edges[0], edges[1]
        neighbour = tf.gather(node_representations, neighbour_indices)
        messages = self.ffn_prepare(neighbour)
        aggregated = tf.math.unsorted_segment_mean(
            messages, node_indices, num_segments=tf.shape(node_representations)[0])
        return self.update_fn(tf.concat([node_representations, aggregated], axis=1))


class FeatureDropout(layers.Layer):
    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed

    def call(self, x, training=None):
        if training:
            return tf.nn.dropout(x, self.rate, seed=self.seed)
        return x

    def get_config(self):
        return {**super().get_config(), "rate": self.rate}


conv = GraphConvLayer(HIDDEN, DROPOUT)
drop = FeatureDropout(DROPOUT)
edges = np.load("edges.npy")
