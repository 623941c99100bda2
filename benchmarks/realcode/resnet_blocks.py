# ruff: noqa
"""A small ResNet with residual blocks written as layers; CIFAR-10 from tf.keras."""
import tensorflow as tf
from tqdm.keras import TqdmCallback

NUM_CLASSES = 10
INPUT_SHAPE = (32, 32, 3)
BASE_FILTERS = 16
DEPTHS = [2, 2]


class ResidualBlock(tf.keras.layers.Layer):
    def __init__(self, filters, stride=1, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters
        self.stride = stride
        self.conv1 = tf.keras.layers.Conv2D(filters, 3, strides=stride, padding="same")
        self.bn1 = tf.keras.layers.BatchNormalization()
        self.conv2 = tf.keras.layers.Conv2D(filters, 3, padding="same")
        self.bn2 = tf.keras.layers.BatchNormalization()
        self.shortcut = tf.keras.layers.Conv2D(filters, 1, strides=stride)

    def call(self, x, training=False):
        y = tf.keras.activations.relu(self.bn1(self.conv1(x), training=training))
        y = self.bn2(self.conv2(y), training=training)
        return tf.keras.activations.relu(y + self.shortcut(x))


class ResNet(tf.keras.Model):
    def __init__(self, num_classes, depths, base_filters=16):
        super().__init__()
        self.stem = tf.keras.layers.Conv2D(base_filters, 3, padding="same")
        self.blocks = [ResidualBlock(base_filters * 2 ** i, stride=1 if i == 0 else 2)
                       for i, depth in enumerate(depths) for _ in range(depth)]
        self.pool = tf.keras.layers.GlobalAveragePooling2D()
        self.head = tf.keras.layers.Dense(num_classes)

    def call(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.head(self.pool(x))


(x_train, y_train), (x_test, y_test) = tf.keras.datasets.cifar10.load_data()
model = ResNet(NUM_CLASSES, DEPTHS, BASE_FILTERS)
model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
model.fit(x_train, y_train, epochs=30, callbacks=[TqdmCallback()])
model.save("resnet.keras")
