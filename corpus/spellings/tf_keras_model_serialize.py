# runtime: static-only
# (tensorflow is not installed in the kcheck environment, so this file can only be parsed;
#  the runtime twin is corpus/ks201/serialized_sublayer.py)
"""tf.keras.Model subclass serializing a sublayer with tf.keras.layers.serialize, no from_config."""
import tensorflow as tf


@tf.keras.saving.register_keras_serializable(package="corpus")
class Head(tf.keras.Model):
    def __init__(self, body, **kwargs):
        super().__init__(**kwargs)
        self.body = body

    def call(self, x):
        return self.body(x)

    def get_config(self):
        config = super().get_config()
        config["body"] = tf.keras.layers.serialize(self.body)  # expect: KS201
        return config


def example():
    return Head(tf.keras.layers.Dense(3))
