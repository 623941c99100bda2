"""Premise of the verifier's config-only round trip (issue 9): a model holding a layer that was
never called saves and reloads, and the reload still looks the class up by name and rebuilds
it from its config.

usage: KERAS_BACKEND=jax python docs/measurements/unbuilt_roundtrip.py
Saves in this process, reloads in a fresh one, prints what the fresh one saw.
"""
import os
import subprocess
import sys
import tempfile

import keras

SOURCE = '''
import keras

class Never(keras.layers.Layer):
    def __init__(self, units=2, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.units, self.offset = units, offset

    def call(self, x):
        raise RuntimeError("never called")

    def get_config(self):
        return {**super().get_config(), "units": self.units}

class Sub(keras.Model):
    def __init__(self, n=3, **kwargs):
        super().__init__(**kwargs)
        self.n = n
        self.dense = keras.layers.Dense(n)

    def call(self, x):
        return self.dense(x)
'''

RELOAD = '''
import sys, keras
sys.path.insert(0, sys.argv[1])
import never_called as m
for name, custom in (("seq.keras", None), ("seq.keras", {"Never": m.Never}),
                     ("sub.keras", None)):
    try:
        obj = keras.models.load_model(sys.argv[1] + "/" + name, custom_objects=custom)
        layer = obj.layers[0] if name == "seq.keras" else obj
        print(name, custom is not None, "loaded:", type(layer).__name__, layer.get_config().get(
            "units"), getattr(layer, "offset", None), "built" if layer.built else "unbuilt")
    except Exception as error:
        print(name, custom is not None, type(error).__name__, str(error)[:90])
'''


def main() -> None:
    folder = tempfile.mkdtemp()
    with open(os.path.join(folder, "never_called.py"), "w") as handle:
        handle.write(SOURCE)
    sys.path.insert(0, folder)
    import never_called as m

    keras.Sequential([m.Never(units=5, offset=0.5)]).save(os.path.join(folder, "seq.keras"))
    m.Sub(4).save(os.path.join(folder, "sub.keras"))
    print(subprocess.run([sys.executable, "-c", RELOAD, folder], capture_output=True,
                         text=True, check=False).stdout)


if __name__ == "__main__":
    main()
