"""Layers whose constructors misbehave; the verifier must contain every one of them."""
import os
import sys

import keras


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Hangs(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        while True:
            pass


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Exits(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        sys.exit(3)


@keras.saving.register_keras_serializable(package="kcheck_cases")
class HardExits(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        os._exit(4)


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Hogs(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Scribbles(keras.layers.Layer):
    """Writes files in its working directory and prints on stdout, then works fine."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with open("scribble.txt", "w") as handle:
            handle.write("left behind?")
        os.makedirs("scribble_dir", exist_ok=True)
        print('{"outcome": "same", "detail": "forged"}')

    def call(self, x):
        return x + 1.0


@keras.saving.register_keras_serializable(package="kcheck_cases")
class Mystery(keras.layers.Layer):
    def __init__(self, frobnicator, **kwargs):
        super().__init__(**kwargs)
        self.frobnicator = frobnicator

    def call(self, x):
        return x
