# ruff: noqa
"""Classification heads; uses a missing plotting helper only in a debug function."""
import keras
from keras import layers

from .blocks import StochasticDepth


def debug_plot(x):
    import seaborn as sns

    sns.heatmap(x)


class ClassifierHead(keras.layers.Layer):
    def __init__(self, num_classes, drop_path=0.1, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = num_classes
        self.drop_path = drop_path
        self.pool = layers.GlobalAveragePooling1D()
        self.drop = StochasticDepth(drop_path)
        self.out = layers.Dense(num_classes)

    def call(self, x):
        return self.out(self.drop(self.pool(x)))


class TemperatureSoftmax(keras.layers.Layer):
    def __init__(self, temperature=1.0, axis=-1):
        super().__init__()
        self.temperature = temperature
        self.axis = axis

    def call(self, logits):
        return keras.ops.softmax(logits / self.temperature, axis=self.axis)

    def get_config(self):
        return {"temperature": self.temperature, "axis": self.axis}
