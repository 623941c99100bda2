# ruff: noqa
"""A conditional GAN: custom model with train_step and a constructor taking two models."""
import matplotlib.pyplot as plt
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

latent_dim = 64
image_size = 28


class ConditionalGAN(keras.Model):
    def __init__(self, discriminator, generator, latent_dim):
        super().__init__()
        self.discriminator = discriminator
        self.generator = generator
        self.latent_dim = latent_dim
        self.gen_loss_tracker = keras.metrics.Mean(name="generator_loss")

    def call(self, z):
        return self.generator(z)

    def compile(self, d_optimizer, g_optimizer, loss_fn):
        super().compile()
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        self.loss_fn = loss_fn


class MinibatchStd(layers.Layer):
    def call(self, x):
        std = keras.ops.std(x, axis=0, keepdims=True)
        mean_std = keras.ops.mean(std)
        shape = keras.ops.shape(x)
        extra = keras.ops.ones((shape[0], shape[1], shape[2], 1)) * mean_std
        return keras.ops.concatenate([x, extra], axis=-1)


discriminator = keras.Sequential([
    keras.layers.InputLayer((image_size, image_size, 1)),
    layers.Conv2D(32, 3, strides=2, padding="same"),
    MinibatchStd(),
    layers.GlobalMaxPooling2D(),
    layers.Dense(1),
])
generator = keras.Sequential([
    keras.layers.InputLayer((latent_dim,)),
    layers.Dense(7 * 7 * 32),
    layers.Reshape((7, 7, 32)),
    layers.Conv2DTranspose(1, 4, strides=4, padding="same", activation="sigmoid"),
])
cond_gan = ConditionalGAN(discriminator=discriminator, generator=generator,
                          latent_dim=latent_dim)
cond_gan.compile(
    d_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
    g_optimizer=keras.optimizers.Adam(learning_rate=0.0003),
    loss_fn=keras.losses.BinaryCrossentropy(from_logits=True),
)
(x_train, y_train), _ = keras.datasets.mnist.load_data()
cond_gan.fit(x_train, epochs=20)
plt.imshow(cond_gan.generator.predict(np.random.normal(size=(1, latent_dim)))[0])
