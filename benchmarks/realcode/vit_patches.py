# ruff: noqa
"""Image classification with a Vision Transformer: patches and a patch encoder."""
import tensorflow as tf
import tensorflow_addons as tfa
from tensorflow import keras
from tensorflow.keras import layers

num_classes = 100
input_shape = (32, 32, 3)
image_size = 72
patch_size = 6
num_patches = (image_size // patch_size) ** 2
projection_dim = 64
learning_rate = 0.001
weight_decay = 0.0001

(x_train, y_train), (x_test, y_test) = keras.datasets.cifar100.load_data()


class Patches(layers.Layer):
    def __init__(self, patch_size):
        super().__init__()
        self.patch_size = patch_size

    def call(self, images):
        batch_size = tf.shape(images)[0]
        patches = tf.image.extract_patches(
            images=images,
            sizes=[1, self.patch_size, self.patch_size, 1],
            strides=[1, self.patch_size, self.patch_size, 1],
            rates=[1, 1, 1, 1],
            padding="VALID",
        )
        patch_dims = patches.shape[-1]
        return tf.reshape(patches, [batch_size, -1, patch_dims])


class PatchEncoder(layers.Layer):
    def __init__(self, num_patches, projection_dim):
        super().__init__()
        self.num_patches = num_patches
        self.projection = layers.Dense(units=projection_dim)
        self.position_embedding = layers.Embedding(input_dim=num_patches,
                                                   output_dim=projection_dim)

    def call(self, patch):
        positions = tf.range(start=0, limit=self.num_patches, delta=1)
        return self.projection(patch) + self.position_embedding(positions)


def create_vit_classifier():
    inputs = layers.Input(shape=input_shape)
    resized = layers.Resizing(image_size, image_size)(inputs)
    patches = Patches(patch_size)(resized)
    encoded = PatchEncoder(num_patches, projection_dim)(patches)
    x = layers.LayerNormalization(epsilon=1e-6)(encoded)
    x = layers.GlobalAveragePooling1D()(x)
    logits = layers.Dense(num_classes)(x)
    return keras.Model(inputs=inputs, outputs=logits)


def run_experiment(model):
    optimizer = tfa.optimizers.AdamW(learning_rate=learning_rate, weight_decay=weight_decay)
    model.compile(optimizer=optimizer,
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x_train, y_train, batch_size=256, epochs=100, validation_split=0.1)
    return model


vit = create_vit_classifier()
run_experiment(vit)
vit.save("vit.keras")
