# runtime: static-only
# (tensorflow is not installed in the kcheck environment, so this file can only be parsed. In
#  TensorFlow 2, tf.losses.Loss is tf.keras.losses.Loss; the same class spelled
#  keras.losses.Loss, saved as a compiled model's loss and reloaded in a fresh process, fails to
#  load: TypeError: FocalMSE.__init__() missing 1 required positional argument: 'gamma'
#  (measured, Keras 3.15, jax backend).)
"""A custom loss on the TensorFlow 2 alias tf.losses.Loss, with a required constructor argument
and no get_config: the Loss config carries only name, reduction and dtype."""
import tensorflow as tf


@tf.keras.utils.register_keras_serializable(package="corpus")
class FocalMSE(tf.losses.Loss):  # expect: KS101
    def __init__(self, gamma, **kwargs):
        super().__init__(**kwargs)
        self.gamma = gamma

    def call(self, y_true, y_pred):
        return tf.reduce_mean(tf.square(y_true - y_pred) ** self.gamma, axis=-1)
