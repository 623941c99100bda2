"""Measure the premises of KS202, KS302, KS303, KS402, KS403, KS501-KS503, KS601 and KS602.

usage:  python docs/measurements/issue4_module_rules.py [substring ...]
        (keras>=3, jax and h5py installed; a substring selects cases by name)

Method (as ../../shared/keras_facts.py): the definitions of a case live in a module ``defs.py``
that both children import. The first child builds and saves; a *fresh* second child imports the
definitions and reloads -- the way a serving job would. Nothing but files passes between them.

Verdicts: SAVE FAILS (anything before the file is written, including the first call of a
layer), LOAD FAILS (load_model or the first predict after it raises), SILENT DIFF (loads, but the
outputs or the case's PROBE differ), round-trips. Warnings Keras emits are printed too.
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import textwrap

CHILD = r'''
import os, sys, json, warnings
os.environ["KERAS_BACKEND"] = "jax"
phase, work = sys.argv[1], sys.argv[2]
sys.path.insert(0, work)
import numpy as np
import keras
from defs import *
x = np.random.RandomState(0).rand(2, 4).astype("float32")
yt = np.random.RandomState(1).rand(2, 4).astype("float32")

def chain(e):
    out = []
    while e is not None and len(out) < 4:
        out.append(type(e).__name__ + ": " + " ".join(str(e).split())[:300])
        e = e.__cause__ or e.__context__
    return out

def norm(v):
    if hasattr(v, "shape") and hasattr(v, "dtype"):
        return [round(float(i), 4) for i in np.asarray(v).ravel()]
    if isinstance(v, float):
        return round(v, 4)
    if isinstance(v, (list, tuple)):
        return [norm(i) for i in v]
    if isinstance(v, dict):
        return {str(k): norm(i) for k, i in v.items()}
    return v if isinstance(v, (int, str, bool, type(None))) else repr(type(v).__name__)

out = {"warnings": []}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        if phase == "save":
__BUILD__
__SAVE__
            out["y"] = norm(model.predict(x, verbose=0))
            out["probe"] = norm(__PROBE__) if __HAS_PROBE__ else None
            out["saved"] = True
        else:
__LOAD__
            model = m
            out["y"] = norm(m.predict(x, verbose=0))
            out["probe"] = norm(__PROBE__) if __HAS_PROBE__ else None
            out["loaded"] = True
    except Exception as e:
        out["error"] = chain(e)
    for w in caught:
        msg = " ".join(str(w.message).split())[:240]
        if msg not in out["warnings"]:
            out["warnings"].append(msg)
print("RESULT " + json.dumps(out, default=repr))
'''

DEFAULT_BUILD = """
model = keras.Sequential([keras.Input((4,)), MAKE])
"""
DEFAULT_SAVE = 'model.save(work + "/m.keras")'
DEFAULT_LOAD = 'm = keras.models.load_model(work + "/m.keras")'

CASES = []


def case(rule, name, defs="", make=None, build=None, save=DEFAULT_SAVE, load=DEFAULT_LOAD,
         probe=None):
    if build is None:
        build = DEFAULT_BUILD.replace("MAKE", make or "keras.layers.Dense(4)")
    CASES.append(dict(rule=rule, name=name, defs=textwrap.dedent(defs),
                      build=textwrap.dedent(build), save=textwrap.dedent(save),
                      load=textwrap.dedent(load), probe=probe))


HEAD = "import os\nimport keras\nimport numpy as np\nR = keras.saving.register_keras_serializable\n"

# ------------------------------------------------------------------ KS202 from_config kind
SCALE = '''
@R(package="m")
class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
    def call(self, x):
        return x * self.factor
    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
'''
case("KS202", "a from_config(cls, config) without @classmethod", SCALE + '''
    def from_config(cls, config):
        return cls(**config)
''', "Scale(3.0)")
case("KS202", "b from_config(self, config) plain method", SCALE + '''
    def from_config(self, config):
        return Scale(**config)
''', "Scale(3.0)")
case("KS202", "c @staticmethod from_config(config)", SCALE + '''
    @staticmethod
    def from_config(config):
        return Scale(**config)
''', "Scale(3.0)")
case("KS202", "d @classmethod from_config (baseline)", SCALE + '''
    @classmethod
    def from_config(cls, config):
        return cls(**config)
''', "Scale(3.0)")
case("KS202", "e Model subclass, from_config(cls, config) without @classmethod", '''
@R(package="m")
class Net(keras.Model):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units)
    def call(self, x):
        return self.dense(x)
    def get_config(self):
        return {**super().get_config(), "units": self.units}
    def from_config(cls, config):
        return cls(**config)
''', build="model = Net(4)\nmodel(x)\n")

# ------------------------------------------------------------------ KS302 unregistered functions
TWICE = "def twice(x):\n    return x * 2.0\n"
case("KS302", "a activation=twice unregistered, load default", TWICE,
     "keras.layers.Dense(4, activation=twice)")
case("KS302", "b activation=twice unregistered, load compile=False", TWICE,
     "keras.layers.Dense(4, activation=twice)",
     load='m = keras.models.load_model(work + "/m.keras", compile=False)')
case("KS302", "c activation=twice registered with decorator", '@R(package="m")\n' + TWICE,
     "keras.layers.Dense(4, activation=twice)")
case("KS302", "d activation=twice unregistered, custom_objects at load", TWICE,
     "keras.layers.Dense(4, activation=twice)",
     load='m = keras.models.load_model(work + "/m.keras", custom_objects={"twice": twice})')
LOSS = "def my_loss(y_true, y_pred):\n    return keras.ops.mean(keras.ops.square(y_true - y_pred))\n"
COMPILED = "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])\nmodel.compile(COMPILE)\nmodel.fit(x, yt, epochs=1, verbose=0)\n"
case("KS302", "e compile(loss=my_loss) unregistered, load default (compile=True)", LOSS,
     build=COMPILED.replace("COMPILE", 'optimizer="sgd", loss=my_loss'),
     probe="[model.compiled, model.evaluate(x, yt, verbose=0)]")
case("KS302", "f compile(loss=my_loss) unregistered, load compile=False", LOSS,
     build=COMPILED.replace("COMPILE", 'optimizer="sgd", loss=my_loss'),
     load='m = keras.models.load_model(work + "/m.keras", compile=False)')
METRIC = "def my_metric(y_true, y_pred):\n    return keras.ops.mean(keras.ops.abs(y_true - y_pred))\n"
case("KS302", "g compile(metrics=[my_metric]) unregistered, load default", METRIC,
     build=COMPILED.replace("COMPILE", 'optimizer="sgd", loss="mse", metrics=[my_metric]'),
     probe="model.evaluate(x, yt, verbose=0, return_dict=True)")
case("KS302", "h kernel_initializer=my_init unregistered", '''
def my_init(shape, dtype=None):
    return keras.ops.ones(shape, dtype=dtype)
''', "keras.layers.Dense(4, kernel_initializer=my_init)")
case("KS302", "i kernel_regularizer=my_reg unregistered", '''
def my_reg(w):
    return 0.01 * keras.ops.sum(keras.ops.abs(w))
''', "keras.layers.Dense(4, kernel_regularizer=my_reg)")
case("KS302", "j kernel_constraint=my_con unregistered", '''
def my_con(w):
    return keras.ops.clip(w, -1.0, 1.0)
''', "keras.layers.Dense(4, kernel_constraint=my_con)")
case("KS302", "k keras.layers.Lambda(twice) with a def function, unregistered", TWICE,
     "keras.layers.Lambda(twice)")
case("KS302", "l keras.layers.Activation(twice) unregistered", TWICE,
     "keras.layers.Activation(twice)")
case("KS302", "m activation=twice unregistered, load with safe_mode=False", TWICE,
     "keras.layers.Dense(4, activation=twice)",
     load='m = keras.models.load_model(work + "/m.keras", safe_mode=False)')
case("KS302", "n activation=keras.activations.relu (a Keras function)", "",
     "keras.layers.Dense(4, activation=keras.activations.relu)")
case("KS302", "o activation=np.tanh (a numpy function)", "",
     "keras.layers.Dense(4, activation=np.tanh)")

# ------------------------------------------------------------------ KS303 duplicate names
case("KS303", "a two classes registered as m>Scale, first one saved", '''
@R(package="m", name="Scale")
class Double(keras.layers.Layer):
    def call(self, x):
        return x * 2.0

@R(package="m", name="Scale")
class Triple(keras.layers.Layer):
    def call(self, x):
        return x * 3.0
''', "Double()")
case("KS303", "b two functions registered as m>act, first one used", '''
@R(package="m", name="act")
def twice(x):
    return x * 2.0

@R(package="m", name="act")
def thrice(x):
    return x * 3.0
''', "keras.layers.Dense(4, activation=twice)")
case("KS303", "c two classes with different packages, same class name", '''
@R(package="a", name="Scale")
class Double(keras.layers.Layer):
    def call(self, x):
        return x * 2.0

@R(package="b", name="Scale")
class Triple(keras.layers.Layer):
    def call(self, x):
        return x * 3.0
''', "Double()")

# ------------------------------------------------------------------ KS402 build config pair
BUILT = '''
@R(package="m")
class Proj(keras.layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], self.units))
    def call(self, x):
        return x @ self.w
    def get_config(self):
        return {**super().get_config(), "units": self.units}
'''
case("KS402", "a get_build_config without input_shape key, no build_from_config", BUILT + '''
    def get_build_config(self):
        return {"features": 4}
''', "Proj()")
case("KS402", "b get_build_config merging super(), no build_from_config", BUILT + '''
    def get_build_config(self):
        return {**super().get_build_config(), "features": 4}
''', "Proj()")
case("KS402", "c build_from_config reading config['input_shape'], no get_build_config", BUILT + '''
    def build_from_config(self, config):
        self.build(config["input_shape"])
''', "Proj()")
case("KS402", "d build_from_config reading a custom key, no get_build_config", BUILT + '''
    def build_from_config(self, config):
        self.build((None, config["features"]))
''', "Proj()")
case("KS402", "e build_from_config using config.get of a custom key, no get_build_config",
     BUILT + '''
    def build_from_config(self, config):
        self.build((None, config.get("features", 4)))
''', "Proj()")
case("KS402", "f both overridden with a custom key", BUILT + '''
    def get_build_config(self):
        return {"features": 4}
    def build_from_config(self, config):
        self.build((None, config["features"]))
''', "Proj()")
case("KS402", "g get_build_config without input_shape, layer without weights", '''
@R(package="m")
class Plain(keras.layers.Layer):
    def call(self, x):
        return x * 2.0
    def get_build_config(self):
        return {"features": 4}
''', "Plain()")

# ------------------------------------------------------------------ KS403 build signature
def build_layer(signature, call="self, inputs", body="self.w = self.add_weight(shape=(4,), initializer='ones')",
                pair=False):
    text = f'''
@R(package="m")
class Sig(keras.layers.Layer):
    def build({signature}):
        {body}
    def call({call}):
        return inputs * self.w
'''
    if pair:
        text += '''
    def get_build_config(self):
        return {"input_shape": (None, 4)}
    def build_from_config(self, config):
        self.build(config["input_shape"], "ones")
'''
    return text


case("KS403", "a build(input_shape, initializer='ones') + build config pair, built by calling",
     build_layer("self, input_shape, initializer='ones'", pair=True), "Sig()")
case("KS403", "b same, built by hand with build((None, 4), 'ones') then called",
     build_layer("self, input_shape, initializer='ones'", pair=True),
     build="layer = Sig()\nlayer.build((None, 4), 'ones')\nmodel = keras.Sequential([keras.Input((4,)), layer])\n")
case("KS403", "c build(x_shape, mask_shape=None), call(inputs, mask=None)",
     build_layer("self, x_shape, mask_shape=None", call="self, inputs, mask=None"), "Sig()")
case("KS403", "d build(input_shape, mask_shape=None), call(inputs, mask=None)",
     build_layer("self, input_shape, mask_shape=None", call="self, inputs, mask=None"), "Sig()")
case("KS403", "e build(inputs_shape, mask_shape=None), call(inputs, mask=None)",
     build_layer("self, inputs_shape, mask_shape=None", call="self, inputs, mask=None"), "Sig()")
case("KS403", "f build(input_shape, **kwargs)",
     build_layer("self, input_shape, **kwargs"), "Sig()")
case("KS403", "g build(input_shape, *, units=4) keyword-only",
     build_layer("self, input_shape, *, units=4"), "Sig()")
case("KS403", "h build(shape) single param with another name",
     build_layer("self, shape"), "Sig()")
case("KS403", "i build(input_shape, initializer='ones') without build config pair (KS401)",
     build_layer("self, input_shape, initializer='ones'"), "Sig()")
case("KS403", "j build(inputs_shape, mask_shape=None), call(inputs, **kwargs)",
     build_layer("self, inputs_shape, mask_shape=None", call="self, inputs, **kwargs"), "Sig()")

# ------------------------------------------------------------------ KS501 own variables
VARS = '''
@R(package="m")
class Extra(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.offset = np.zeros((4,), "float32")
    def call(self, x):
        return x + self.offset
'''
case("KS501", "a save_own_variables writes an extra key, no load_own_variables", VARS + '''
    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["offset"] = self.offset
''', build="layer = Extra()\nlayer.offset = np.ones((4,), 'float32')\nmodel = keras.Sequential([keras.Input((4,)), layer])\n")
case("KS501", "b load_own_variables reads an extra key, no save_own_variables", VARS + '''
    def load_own_variables(self, store):
        super().load_own_variables(store)
        self.offset = np.asarray(store["offset"])
''', build="layer = Extra()\nlayer.offset = np.ones((4,), 'float32')\nmodel = keras.Sequential([keras.Input((4,)), layer])\n")
case("KS501", "c save_own_variables that only calls super(), no load_own_variables", VARS + '''
    def save_own_variables(self, store):
        super().save_own_variables(store)
''', "Extra()")
case("KS501", "d load_own_variables that only calls super() then post-processes", VARS + '''
    def load_own_variables(self, store):
        super().load_own_variables(store)
        self.loaded = True
''', "Extra()")
case("KS501", "e both, symmetric extra key", VARS + '''
    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["offset"] = self.offset
    def load_own_variables(self, store):
        self.offset = np.asarray(store["offset"])
''', build="layer = Extra()\nlayer.offset = np.ones((4,), 'float32')\nmodel = keras.Sequential([keras.Input((4,)), layer])\n")

# ------------------------------------------------------------------ KS502 assets
ASSETS = '''
@R(package="m")
class Vocab(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.scale = 1.0
    def call(self, x):
        return x * self.scale
'''
SAVE_ASSETS = '''
    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "scale.txt"), "w") as f:
            f.write(str(self.scale))
'''
LOAD_ASSETS = '''
    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "scale.txt")) as f:
            self.scale = float(f.read())
'''
SCALED = "layer = Vocab()\nlayer.scale = 3.0\nmodel = keras.Sequential([keras.Input((4,)), layer])\n"
case("KS502", "a save_assets without load_assets", ASSETS + SAVE_ASSETS, build=SCALED)
case("KS502", "b load_assets without save_assets", ASSETS + LOAD_ASSETS, build=SCALED)
case("KS502", "c both", ASSETS + SAVE_ASSETS + LOAD_ASSETS, build=SCALED)

# ------------------------------------------------------------------ KS503 compile config
NET = '''
@R(package="m")
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(4)
    def call(self, x):
        return self.dense(x)
'''
COMPILE_NET = "model = Net()\nmodel.compile(ARGS)\nmodel.fit(x, yt, epochs=1, verbose=0)\n"
PROBE_COMPILED = "[model.compiled, getattr(model, 'loss', None) is not None, type(getattr(model, 'optimizer', None)).__name__]"
case("KS503", "a compile() override with a custom parameter, neither config method", NET + '''
    def compile(self, lr=0.01, **kwargs):
        super().compile(optimizer=keras.optimizers.SGD(lr), loss="mse", **kwargs)
''', build=COMPILE_NET.replace("ARGS", "lr=0.1"), probe=PROBE_COMPILED)
case("KS503", "a2 same, then fit() after load", NET + '''
    def compile(self, lr=0.01, **kwargs):
        super().compile(optimizer=keras.optimizers.SGD(lr), loss="mse", **kwargs)
''', build=COMPILE_NET.replace("ARGS", "lr=0.1"),
     load='m = keras.models.load_model(work + "/m.keras")\nm.fit(x, yt, epochs=1, verbose=0)')
case("KS503", "b compile() override with the standard signature, neither", NET + '''
    def compile(self, *args, **kwargs):
        super().compile(*args, **kwargs)
''', build=COMPILE_NET.replace("ARGS", 'optimizer="sgd", loss="mse"'), probe=PROBE_COMPILED)
case("KS503", "c get_compile_config with an extra key, no compile_from_config", NET + '''
    def get_compile_config(self):
        return {**super().get_compile_config(), "lr": 0.1}
''', build=COMPILE_NET.replace("ARGS", 'optimizer="sgd", loss="mse"'), probe=PROBE_COMPILED)
case("KS503", "d compile_from_config reading standard keys, no get_compile_config", NET + '''
    def compile_from_config(self, config):
        config = keras.saving.deserialize_keras_object(config)
        self.compile(optimizer=config["optimizer"], loss=config["loss"])
''', build=COMPILE_NET.replace("ARGS", 'optimizer="sgd", loss="mse"'), probe=PROBE_COMPILED)
case("KS503", "e compile_from_config reading a custom key, no get_compile_config", NET + '''
    def compile_from_config(self, config):
        self.compile(optimizer=keras.optimizers.SGD(config["lr"]), loss="mse")
''', build=COMPILE_NET.replace("ARGS", 'optimizer="sgd", loss="mse"'), probe=PROBE_COMPILED)
case("KS503", "f compile() override + both config methods", NET + '''
    def compile(self, lr=0.01, **kwargs):
        self.lr = lr
        super().compile(optimizer=keras.optimizers.SGD(lr), loss="mse", **kwargs)
    def get_compile_config(self):
        return {"lr": self.lr}
    def compile_from_config(self, config):
        self.compile(lr=config["lr"])
''', build=COMPILE_NET.replace("ARGS", "lr=0.1"), probe=PROBE_COMPILED)
case("KS503", "g get_compile_config override only (standard keys via super), compile not overridden",
     NET + '''
    def get_compile_config(self):
        return super().get_compile_config()
''', build=COMPILE_NET.replace("ARGS", 'optimizer="sgd", loss="mse"'), probe=PROBE_COMPILED)

# ------------------------------------------------------------------ KS601 save paths
case("KS601", "a model.save('m.h5')", "", save='model.save(work + "/m.h5")',
     load='m = keras.models.load_model(work + "/m.h5")')
case("KS601", "a2 model.save('m.h5') with a registered custom layer", SCALE, "Scale(3.0)",
     save='model.save(work + "/m.h5")', load='m = keras.models.load_model(work + "/m.h5")')
case("KS601", "a3 model.save('m.h5') of a compiled model with an optimizer", "",
     build=COMPILED.replace("COMPILE", 'optimizer="adam", loss="mse"'),
     save='model.save(work + "/m.h5")', load='m = keras.models.load_model(work + "/m.h5")',
     probe="[model.compiled, type(model.optimizer).__name__, len(model.optimizer.variables)]")
case("KS601", "b model.save('dir') without extension", "", save='model.save(work + "/saved")')
case("KS601", "c model.save('m.keras', save_format='keras')", "",
     save='model.save(work + "/m.keras", save_format="keras")')
case("KS601", "d model.save_weights('w.h5')", "", save='model.save_weights(work + "/w.h5")')
case("KS601", "e keras.saving.save_model(model, 'dir')", "",
     save='keras.saving.save_model(model, work + "/saved")')
case("KS601", "f model.save('m.tf')", "", save='model.save(work + "/m.tf")')
case("KS601", "g model.save_weights('w.weights.h5') (baseline)", "",
     save='model.save_weights(work + "/w.weights.h5")\nmodel.save(work + "/m.keras")')
case("KS601", "h model.save('m.hdf5')", "", save='model.save(work + "/m.hdf5")',
     load='m = keras.models.load_model(work + "/m.hdf5")')
case("KS601", "i model.export('dir') (not a save)", "",
     save='model.save(work + "/m.keras")')

# ------------------------------------------------------------------ KS602 lambdas
case("KS602", "a Lambda(lambda), load default", "", "keras.layers.Lambda(lambda t: t + 1.0)")
case("KS602", "b Lambda(lambda), load safe_mode=False", "", "keras.layers.Lambda(lambda t: t + 1.0)",
     load='m = keras.models.load_model(work + "/m.keras", safe_mode=False)')
case("KS602", "c Dense(activation=lambda)", "", "keras.layers.Dense(4, activation=lambda t: t * 2.0)")
case("KS602", "d compile(loss=lambda), load default", "",
     build=COMPILED.replace("COMPILE", 'optimizer="sgd", loss=lambda a, b: keras.ops.mean((a - b) ** 2)'))
case("KS602", "e compile(loss=lambda), load compile=False", "",
     build=COMPILED.replace("COMPILE", 'optimizer="sgd", loss=lambda a, b: keras.ops.mean((a - b) ** 2)'),
     load='m = keras.models.load_model(work + "/m.keras", compile=False)')
case("KS602", "f Activation(lambda)", "", "keras.layers.Activation(lambda t: t * 2.0)")
case("KS602", "g Lambda(lambda) with keras.config.enable_unsafe_deserialization()", "",
     "keras.layers.Lambda(lambda t: t + 1.0)",
     load='keras.config.enable_unsafe_deserialization()\nm = keras.models.load_model(work + "/m.keras")')
case("KS602", "h kernel_initializer=lambda", "",
     "keras.layers.Dense(4, kernel_initializer=lambda shape, dtype=None: keras.ops.ones(shape))")

# The lambdas above are written in the child's `python -c` program, which has no source file:
# inspect cannot read them. In a real project they live in a file, like these in defs.py.
LAMBDAS = "act = lambda t: t * 2.0\nmse = lambda a, b: keras.ops.mean((a - b) ** 2)\n" \
          "init = lambda shape, dtype=None: keras.ops.ones(shape)\nshift = lambda t: t + 1.0\n"
case("KS602", "a2 Lambda(shift), shift a lambda defined in a module file", LAMBDAS,
     "keras.layers.Lambda(shift)")
case("KS602", "c2 Dense(activation=act), act a lambda in a module file", LAMBDAS,
     "keras.layers.Dense(4, activation=act)")
case("KS602", "c3 same, load safe_mode=False", LAMBDAS,
     "keras.layers.Dense(4, activation=act)",
     load='m = keras.models.load_model(work + "/m.keras", safe_mode=False)')
case("KS602", "d2 compile(loss=mse), mse a lambda in a module file, load default", LAMBDAS,
     build=COMPILED.replace("COMPILE", 'optimizer="sgd", loss=mse'))
case("KS602", "d3 same, load compile=False", LAMBDAS,
     build=COMPILED.replace("COMPILE", 'optimizer="sgd", loss=mse'),
     load='m = keras.models.load_model(work + "/m.keras", compile=False)')
case("KS602", "f2 Activation(act), act a lambda in a module file", LAMBDAS,
     "keras.layers.Activation(act)")
case("KS602", "h2 kernel_initializer=init, a lambda in a module file", LAMBDAS,
     "keras.layers.Dense(4, kernel_initializer=init)")
case("KS602", "h3 same, load safe_mode=False", LAMBDAS,
     "keras.layers.Dense(4, kernel_initializer=init)",
     load='m = keras.models.load_model(work + "/m.keras", safe_mode=False)')


def _indent(code, spaces=12):
    return textwrap.indent(code, " " * spaces)


def program(c):
    text = CHILD.replace("__BUILD__", _indent(c["build"]))
    text = text.replace("__SAVE__", _indent(c["save"]))
    text = text.replace("__LOAD__", _indent(c["load"]))
    text = text.replace("__HAS_PROBE__", "True" if c["probe"] else "False")
    return text.replace("__PROBE__", c["probe"] or "None")


def child(source, phase, work):
    proc = subprocess.run([sys.executable, "-c", source, phase, work], capture_output=True,
                          text=True, timeout=300)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"error": ["child died: " + proc.stderr.strip()[-300:]]}


def run(c):
    source = program(c)
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "defs.py"), "w") as fh:
            fh.write(HEAD + c["defs"])
        saved = child(source, "save", work)
        loaded = child(source, "load", work) if saved.get("saved") else {}
    if not saved.get("saved"):
        verdict, detail = "SAVE FAILS", saved["error"]
    elif "error" in loaded:
        verdict, detail = "LOAD FAILS", loaded["error"]
    elif loaded["y"] != saved["y"] or loaded["probe"] != saved["probe"]:
        verdict = "SILENT DIFF"
        detail = [f"probe {saved['probe']} -> {loaded['probe']}",
                  f"outputs equal: {loaded['y'] == saved['y']}"]
    else:
        verdict, detail = "round-trips", []
    warnings = [w for w in saved.get("warnings", []) + loaded.get("warnings", [])
                if "jax" not in w.lower()]
    return dict(rule=c["rule"], name=c["name"], verdict=verdict, detail=detail, warnings=warnings)


def main(argv):
    chosen = [c for c in CASES if not argv or any(a in f"{c['rule']} {c['name']}" for a in argv)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
        results = list(pool.map(run, chosen))
    for r in results:
        print(f"{r['rule']} {r['name']}\n    {r['verdict']}")
        for line in r["detail"]:
            print(f"      {line}")
        for w in r["warnings"]:
            print(f"      warning: {w}")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "issue4_module_rules.json")
    previous = json.load(open(path)) if os.path.exists(path) else []
    fresh = {(r["rule"], r["name"]) for r in results}
    keep = [r for r in previous if (r["rule"], r["name"]) not in fresh]
    with open(path, "w") as fh:
        json.dump(keep + results, fh, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
