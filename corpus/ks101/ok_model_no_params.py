# runtime: ok
"""keras.Model subclass whose __init__ takes only **kwargs: nothing to lose."""
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x)
