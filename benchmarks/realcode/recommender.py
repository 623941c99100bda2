# ruff: noqa
"""Collaborative filtering: user and movie embeddings with a dot-product layer (two int inputs)."""
import pandas as pd
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

EMBEDDING_SIZE = 16
ratings = pd.read_csv("ratings.csv")
num_users = ratings["userId"].nunique()
num_movies = ratings["movieId"].nunique()


class RecommenderNet(keras.Model):
    def __init__(self, num_users, num_movies, embedding_size, **kwargs):
        super().__init__(**kwargs)
        self.user_embedding = layers.Embedding(num_users, embedding_size)
        self.user_bias = layers.Embedding(num_users, 1)
        self.movie_embedding = layers.Embedding(num_movies, embedding_size)
        self.movie_bias = layers.Embedding(num_movies, 1)

    def call(self, inputs):
        user_vector = self.user_embedding(inputs[:, 0])
        movie_vector = self.movie_embedding(inputs[:, 1])
        dot = tf.reduce_sum(user_vector * movie_vector, axis=1, keepdims=True)
        return tf.nn.sigmoid(dot + self.user_bias(inputs[:, 0]) + self.movie_bias(inputs[:, 1]))


class DotInteraction(layers.Layer):
    def __init__(self, normalize=False, **kwargs):
        super().__init__(**kwargs)
        self.normalize = normalize

    def call(self, user, item):
        if self.normalize:
            user = keras.ops.normalize(user, axis=-1)
            item = keras.ops.normalize(item, axis=-1)
        return keras.ops.sum(user * item, axis=-1, keepdims=True)


user_in = keras.Input(shape=(), dtype="int32")
item_in = keras.Input(shape=(), dtype="int32")
score = DotInteraction(normalize=True)(layers.Embedding(100, 8)(user_in),
                                       layers.Embedding(100, 8)(item_in))
model = RecommenderNet(num_users, num_movies, EMBEDDING_SIZE)
model.compile(loss=tf.keras.losses.BinaryCrossentropy(), optimizer=keras.optimizers.Adam(0.001))
model.fit(ratings[["userId", "movieId"]].values, ratings["rating"].values, epochs=5)
