# runtime: ok
"""Registered through export_pkg.src.api.export, imported by its absolute name. The import only
resolves because export_pkg/ has an __init__.py; without it kcheck reports KS301, and a cached
run must notice when the file appears (tests/test_cache.py builds that sequence)."""
import keras

from export_pkg.src.api import export


# make: Scale(3.0)
@export("export_pkg.Scale")
class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor


def example():
    return Scale(3.0)
