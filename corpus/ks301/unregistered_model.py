# runtime: load-fails
"""An unregistered keras.Model subclass saved with model.save."""
from keras import Model, layers


class Net(Model):  # expect: KS301
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = layers.Dense(2)

    def call(self, x):
        return self.dense(x)
