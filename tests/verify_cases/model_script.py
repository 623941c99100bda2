"""A research-style script: layers that only work on the inputs the module's own model code
gives them, and a layer that only a model builder can construct."""
import keras
import numpy as np
from keras import layers

MAXLEN = 7
VOCAB = 50
EMBED = 6


def make_table(size):
    """User code the verifier must not call on its own: only a builder may."""
    return {"size": int(np.sqrt(size * size))}


@keras.saving.register_keras_serializable(package="kcheck_model_script")
class TokenAndPosition(layers.Layer):
    """Needs int token ids of length `maxlen`: a float (2, 4) sample fails."""

    def __init__(self, maxlen, vocab, dim, **kwargs):
        super().__init__(**kwargs)
        self.maxlen, self.vocab, self.dim = maxlen, vocab, dim
        self.tokens = layers.Embedding(vocab, dim)
        self.positions = layers.Embedding(maxlen, dim)

    def call(self, x):
        if x.shape[-1] != self.maxlen or "int" not in str(x.dtype):
            raise ValueError(f"expected int ids of length {self.maxlen}, got {x.shape}")
        return self.tokens(x) + self.positions(keras.ops.arange(self.maxlen))

    def get_config(self):
        return {**super().get_config(), "maxlen": self.maxlen, "vocab": self.vocab,
                "dim": self.dim}


@keras.saving.register_keras_serializable(package="kcheck_model_script")
class Fuse(layers.Layer):
    """Takes a dict of an image and a vector: no generic sample has that shape."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = layers.Dense(units)

    def call(self, inputs):
        image, meta = inputs["image"], inputs["meta"]
        pooled = keras.ops.mean(image, axis=(1, 2))
        return self.dense(keras.ops.concatenate([pooled, meta], axis=-1))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="kcheck_model_script")
class Lookup(layers.Layer):
    """Its table comes from user code inside the builder; get_config() forgets `scale`."""

    def __init__(self, table, scale=1.0, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(table, dict):
            raise TypeError("table must be a dict")
        self.table = table
        self.scale = scale

    def call(self, x):
        return x * self.scale + float(self.table["size"])

    def get_config(self):
        return {**super().get_config(), "table": self.table}


def build_text_model(maxlen=MAXLEN):
    inputs = keras.Input(shape=(maxlen,), dtype="int32")
    x = TokenAndPosition(maxlen, VOCAB, EMBED)(inputs)
    return keras.Model(inputs, layers.GlobalAveragePooling1D()(x))


def build_fusion_model(image_shape, meta_size):
    image = keras.Input(shape=image_shape)
    meta = keras.Input(shape=(meta_size,))
    out = Fuse(4)({"image": image, "meta": meta})
    return keras.Model({"image": image, "meta": meta}, out)


def create_model():
    table = make_table(3)
    inputs = keras.Input(shape=(5,))
    return keras.Model(inputs, Lookup(table, scale=3.0)(inputs))


if __name__ == "__main__":
    fusion = build_fusion_model((8, 8, 3), 5)
    data = np.load("training_data.npz")
    fusion.fit(data["x"], data["y"])
