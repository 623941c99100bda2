# runtime: static-only
# (tensorflow is not installed in the kcheck environment, so this file can only be parsed;
#  under TensorFlow >= 2.16 tf.keras is Keras 3 and the finding is the same as corpus/ks101/layer_param.py)
"""tf.keras.layers.Layer spelled through the tensorflow module; layer argument, no get_config."""
import tensorflow as tf


@tf.keras.utils.register_keras_serializable(package="corpus")
class Gate(tf.keras.layers.Layer):  # expect: KS101
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x) * x


def example():
    return Gate(tf.keras.layers.Dense(4))
