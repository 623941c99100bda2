# runtime: ok
"""The parameter is a string resolved with keras.activations.get: the attribute that call() invokes
is a function, but the constructor argument is a plain string, which auto-config records."""
import keras


# make: Act("tanh")
@keras.saving.register_keras_serializable(package="corpus")
class Act(keras.layers.Layer):
    def __init__(self, activation="relu", **kwargs):
        super().__init__(**kwargs)
        self.activation = keras.activations.get(activation)

    def call(self, x):
        return self.activation(x - 0.5)


def make():
    return Act("tanh")
