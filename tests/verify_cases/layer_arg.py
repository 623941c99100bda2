"""A layer passed to __init__ with no get_config: Keras refuses to save it."""
import keras


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Hold(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)
