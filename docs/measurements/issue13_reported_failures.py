"""Measure the save/load failures Keras users report (issue 13) before they become rules.

usage:  python docs/measurements/issue13_reported_failures.py [--python PY] [--out FILE]
            [substring ...]
        (keras>=3 and h5py installed for PY; a substring selects cases by name; KERAS_BACKEND
        is passed through, jax by default)

Method (as issue4_module_rules.py and ../../shared/keras_facts.py): the definitions of a case
live in a module ``defs.py`` that both children import. The first child builds and saves; a
*fresh* second child imports the definitions and reloads -- the way a serving job would.
Nothing but files passes between them.

``--python`` runs the children with another interpreter: the scratch virtualenvs holding older
Keras releases (the unbuilt-children cases, "UB", were run on each release that way; see
docs/keras_facts.md). ``--out`` names the JSON file the results are merged into (default:
issue13_reported_failures.json beside this script).

Verdicts: SAVE FAILS (anything before the file is written: construction of a callback, the
first call of a layer, the save call), LOAD FAILS (the load call or the first predict after
it raises), SILENT DIFF (loads, but the outputs or the case's PROBE differ), round-trips.
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import textwrap

CHILD = r'''
import os, sys, json, warnings, logging
os.environ.setdefault("KERAS_BACKEND", "jax")
phase, work = sys.argv[1], sys.argv[2]
sys.path.insert(0, work)
os.chdir(work)
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

class Logged(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []
    def emit(self, record):
        self.messages.append(record.getMessage())

logged = Logged()
logging.getLogger().addHandler(logged)
logging.getLogger("absl").addHandler(logged)
out = {"warnings": [], "keras": keras.__version__, "backend": keras.backend.backend()}
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
    for w in [str(w.message) for w in caught] + logged.messages:
        msg = " ".join(w.split())[:240]
        if msg not in out["warnings"]:
            out["warnings"].append(msg)
print("RESULT " + json.dumps(out, default=repr))
'''

DENSE_MODEL = "keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])"
DEFAULT_BUILD = """
model = keras.Sequential([keras.Input((4,)), MAKE])
"""
DEFAULT_SAVE = 'model.save("m.keras")'
DEFAULT_LOAD = 'm = keras.models.load_model("m.keras")'

CASES = []


def case(family, name, defs="", make=None, build=None, save=DEFAULT_SAVE, load=DEFAULT_LOAD,
         probe=None):
    if build is None:
        build = DEFAULT_BUILD.replace("MAKE", make or "keras.layers.Dense(4)")
    CASES.append(dict(family=family, name=name, defs=textwrap.dedent(defs),
                      build=textwrap.dedent(build), save=textwrap.dedent(save),
                      load=textwrap.dedent(load), probe=probe))


HEAD = "import os\nimport keras\nimport numpy as np\nR = keras.saving.register_keras_serializable\n"

# ------------------------------------------------------------------ ModelCheckpoint paths
FIT = """
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(4)])
model.compile(optimizer="sgd", loss="mse")
"""


def checkpoint(name, arguments, saved, load=None):
    save = (f"cb = keras.callbacks.ModelCheckpoint({arguments})\n"
            "model.fit(x, yt, epochs=1, verbose=0, callbacks=[cb])\n"
            f"assert os.path.exists({saved!r}), sorted(os.listdir('.'))")
    load = load or f'm = keras.models.load_model({saved!r})'
    case("CKPT", name, build=FIT, save=save, load=load)


WEIGHTS_LOAD = f"m = {DENSE_MODEL}\nm.load_weights({{path!r}})"
checkpoint("a full-model path without extension 'model_{epoch}'", '"model_{epoch}"', "model_1")
checkpoint("b full-model path ending .tf", '"model_{epoch}.tf"', "model_1.tf")
checkpoint("c full-model path ending .hdf5", '"model_{epoch}.hdf5"', "model_1.hdf5")
checkpoint("d full-model path ending .h5", '"model_{epoch}.h5"', "model_1.h5")
checkpoint("e full-model path ending .keras", '"model_{epoch}.keras"', "model_1.keras")
checkpoint("f full-model path ending .weights.h5 (no save_weights_only)",
           '"model_{epoch}.weights.h5"', "model_1.weights.h5")
checkpoint("g save_weights_only=True, path ending .h5", '"w_{epoch}.h5", save_weights_only=True',
           "w_1.h5", WEIGHTS_LOAD.format(path="w_1.h5"))
checkpoint("h save_weights_only=True, path ending .ckpt",
           '"w_{epoch}.ckpt", save_weights_only=True', "w_1.ckpt",
           WEIGHTS_LOAD.format(path="w_1.ckpt"))
checkpoint("i save_weights_only=True, path ending .weights.h5",
           '"w_{epoch}.weights.h5", save_weights_only=True', "w_1.weights.h5",
           WEIGHTS_LOAD.format(path="w_1.weights.h5"))
checkpoint("j save_weights_only=True, path ending .keras",
           '"w_{epoch}.keras", save_weights_only=True', "w_1.keras",
           WEIGHTS_LOAD.format(path="w_1.keras"))
checkpoint("k save_weights_only=False written out, path ending .keras",
           '"m_{epoch}.keras", save_weights_only=False', "m_1.keras")

# ------------------------------------------------------------------ save()/save_weights() arguments
SAVE_BUILD = f"model = {DENSE_MODEL}\n"
case("SAVE", "a save('m.keras', save_format='tf')", build=SAVE_BUILD,
     save='model.save("m.keras", save_format="tf")')
case("SAVE", "b save('m.h5', save_format='h5')", build=SAVE_BUILD,
     save='model.save("m.h5", save_format="h5")', load='m = keras.models.load_model("m.h5")')
case("SAVE", "c save('m', save_format='tf')", build=SAVE_BUILD,
     save='model.save("m", save_format="tf")', load='m = keras.models.load_model("m")')
case("SAVE", "d save('m.keras', include_optimizer=False)", build=SAVE_BUILD,
     save='model.save("m.keras", include_optimizer=False)')
case("SAVE", "e save('m.keras', signatures=None)", build=SAVE_BUILD,
     save='model.save("m.keras", signatures=None)')
case("SAVE", "f save('m.keras', options=None)", build=SAVE_BUILD,
     save='model.save("m.keras", options=None)')
case("SAVE", "g save('m.keras', save_traces=False)", build=SAVE_BUILD,
     save='model.save("m.keras", save_traces=False)')
case("SAVE", "h save_weights('w.weights.h5', save_format='h5')", build=SAVE_BUILD,
     save='model.save_weights("w.weights.h5", save_format="h5")',
     load=WEIGHTS_LOAD.format(path="w.weights.h5"))
case("SAVE", "i keras.saving.save_model(model, 'm.keras', save_format='keras')", build=SAVE_BUILD,
     save='keras.saving.save_model(model, "m.keras", save_format="keras")')

# ------------------------------------------------------------------ load_model() paths
case("LOAD", "a load_model of a folder that is not a Keras folder ('saved_model')",
     build=SAVE_BUILD, save='model.save("m.keras"); os.makedirs("saved_model")',
     load='m = keras.models.load_model("saved_model")')
case("LOAD", "b load_model of a path that does not exist, no extension",
     build=SAVE_BUILD, load='m = keras.models.load_model("missing_model")')
case("LOAD", "c load_model of a .keras zip renamed without extension",
     build=SAVE_BUILD, save='model.save("m.keras"); os.rename("m.keras", "model")',
     load='m = keras.models.load_model("model")')
case("LOAD", "d load_model of a .keras zip renamed to .zip",
     build=SAVE_BUILD, save='model.save("m.keras"); os.rename("m.keras", "m.zip")',
     load='m = keras.models.load_model("m.zip")')
case("LOAD", "e load_model of a folder written by save(zipped=False)",
     build=SAVE_BUILD, save='model.save("m_dir", zipped=False)',
     load='m = keras.models.load_model("m_dir")')
case("LOAD", "f load_model of a .pb path", build=SAVE_BUILD,
     load='m = keras.models.load_model("saved_model.pb")')
case("LOAD", "g load_model of a .hdf5 file", build=SAVE_BUILD,
     save='model.save("m.hdf5")', load='m = keras.models.load_model("m.hdf5")')
case("LOAD", "h load_model of a .keras path that does not exist", build=SAVE_BUILD,
     load='m = keras.models.load_model("missing.keras")')
case("LOAD", "i load_weights of a .ckpt path", build=SAVE_BUILD,
     save='model.save_weights("w.weights.h5")',
     load=f'm = {DENSE_MODEL}\nm.load_weights("w.ckpt")')

# ------------------------------------------------------------------ add_weight positional name
def weight_layer(name, create):
    case("WEIGHT", name, f'''
@R(package="m")
class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = {create}
    def call(self, x):
        return x * self.w
''', "Scale()")


weight_layer("a add_weight('w', shape=(4,), initializer='ones')",
             "self.add_weight('w', shape=(4,), initializer='ones')")
weight_layer("b add_weight('w', (4,))", "self.add_weight('w', (4,))")
weight_layer("c add_weight((4,), 'ones') (Keras 3 positional order)",
             "self.add_weight((4,), 'ones')")
weight_layer("d add_weight(name='w', shape=(4,), initializer='ones')",
             "self.add_weight(name='w', shape=(4,), initializer='ones')")
weight_layer("e add_weight(f'w_{0}', shape=(4,))", "self.add_weight(f'w_{0}', shape=(4,))")


# ------------------------------------------------------------------ Keras's tracking attributes
def tracked(name, attribute, kind="layer"):
    base = "keras.layers.Layer" if kind == "layer" else "keras.Model"
    case("TRACK", name, f'''
@R(package="m")
class Stack(__BASE__):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.__ATTR__ = [keras.layers.Dense(4, kernel_initializer="glorot_uniform"),
                         keras.layers.Dense(4, kernel_initializer="glorot_uniform")]
    def call(self, x):
        for layer in self.__ATTR__:
            x = layer(x)
        return x
'''.replace("__BASE__", base).replace("__ATTR__", attribute),
         "Stack()" if kind == "layer" else None,
         build=None if kind == "layer" else "model = Stack()\nmodel(x)\n",
         probe="len(model.weights)")


for attribute in ("_layers", "_trainable_variables", "_non_trainable_variables", "_metrics",
                  "_seed_generators", "_tracker", "_stages", "blocks"):
    tracked(f"a layer assigns self.{attribute} = [Dense, Dense]", attribute)
for attribute in ("_layers", "_trainable_variables", "_non_trainable_variables", "_metrics",
                  "_seed_generators", "_tracker", "_stages"):
    tracked(f"b Model subclass assigns self.{attribute} = [Dense, Dense]", attribute, "model")
for kind in ("layer", "model"):
    case("TRACK", f"c {kind} assigns self._trainable_variables = [] next to a Dense", f'''
@R(package="m")
class Holder({"keras.layers.Layer" if kind == "layer" else "keras.Model"}):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trainable_variables = []
        self.dense = keras.layers.Dense(4)
    def call(self, x):
        return self.dense(x)
''', "Holder()" if kind == "layer" else None,
         build=None if kind == "layer" else "model = Holder()\nmodel(x)\n",
         probe="len(model.weights)")

# ------------------------------------------------------------------ a variable as an attribute
case("VAR", "a keras.Variable attribute made in __init__, assigned 3.0 before saving", '''
@R(package="m")
class Gain(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.gain = keras.Variable(np.ones((4,), "float32"), trainable=False)
    def call(self, x):
        return x * self.gain
''', build="model = keras.Sequential([keras.Input((4,)), Gain()])\n"
           "model.layers[-1].gain.assign(np.full((4,), 3.0, 'float32'))\n",
     probe="len(model.weights)")
case("VAR", "b keras.Variable attribute made in build(), assigned 3.0 before saving", '''
@R(package="m")
class Gain(keras.layers.Layer):
    def build(self, input_shape):
        self.gain = keras.Variable(np.ones((input_shape[-1],), "float32"))
    def call(self, x):
        return x * self.gain
''', build="model = keras.Sequential([keras.Input((4,)), Gain()])\n"
           "model.layers[-1].gain.assign(np.full((4,), 3.0, 'float32'))\n",
     probe="len(model.weights)")
case("VAR", "c a list of keras.Variable in __init__, assigned 3.0 before saving", '''
@R(package="m")
class Gain(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.gains = [keras.Variable(np.ones((4,), "float32"))]
    def call(self, x):
        return x * self.gains[0]
''', build="model = keras.Sequential([keras.Input((4,)), Gain()])\n"
           "model.layers[-1].gains[0].assign(np.full((4,), 3.0, 'float32'))\n",
     probe="len(model.weights)")

case("VAR", "d tf.Variable attribute made in __init__, assigned 3.0 before saving", '''
import tensorflow as tf

@R(package="m")
class Gain(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.gain = tf.Variable(np.ones((4,), "float32"))
    def call(self, x):
        return x * self.gain
''', build="model = keras.Sequential([keras.Input((4,)), Gain()])\n"
           "model.layers[-1].gain.assign(np.full((4,), 3.0, 'float32'))\n",
     probe="len(model.weights)")

# ------------------------------------------------------------------ functional-style subclasses
FUNCTIONAL = '''
@R(package="m")
class Net(keras.Model):
    def __init__(self, units=8, **kwargs):
        inputs = keras.Input((4,))
        outputs = keras.layers.Dense(units)(inputs)
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)
        self.units = units
'''
FUNCTIONAL_BUILD = "model = Net(units=3)\n"
case("FUNC", "a functional subclass, units=3, no get_config", FUNCTIONAL, build=FUNCTIONAL_BUILD)
case("FUNC", "b functional subclass, units=8 (the default), no get_config", FUNCTIONAL,
     build="model = Net()\n")
case("FUNC", "c functional subclass, get_config merges super()", FUNCTIONAL + '''
    def get_config(self):
        return {**super().get_config(), "units": self.units}
''', build=FUNCTIONAL_BUILD)
case("FUNC", "d functional subclass, get_config without super() (units, name, trainable)",
     FUNCTIONAL + '''
    def get_config(self):
        return {"units": self.units, "name": self.name, "trainable": self.trainable}
''', build=FUNCTIONAL_BUILD)
case("FUNC", "e functional subclass, get_config merges super(), from_config picks units",
     FUNCTIONAL + '''
    def get_config(self):
        return {**super().get_config(), "units": self.units}
    @classmethod
    def from_config(cls, config):
        return cls(units=config["units"], name=config["name"])
''', build=FUNCTIONAL_BUILD)
case("FUNC", "f functional subclass without own parameters, no get_config", '''
@R(package="m")
class Net(keras.Model):
    def __init__(self, **kwargs):
        inputs = keras.Input((4,))
        super().__init__(inputs=inputs, outputs=keras.layers.Dense(3)(inputs), **kwargs)
''', build="model = Net()\n")

# ------------------------------------------------------------------ callables in built-in configs
TWICE = '''
def twice(x):
    return x * 2.0
'''
case("FUNCREF", "a Lambda(fn, output_shape=shape_fn), shape_fn unregistered", TWICE + '''
@R(package="m")
def registered_twice(x):
    return x * 2.0

def same_shape(shape):
    return shape
''', "keras.layers.Lambda(registered_twice, output_shape=same_shape)")
case("FUNCREF", "b Lambda(fn, mask=mask_fn), mask_fn unregistered", TWICE + '''
@R(package="m")
def registered_twice(x):
    return x * 2.0

def no_mask(inputs, mask=None):
    return None
''', "keras.layers.Lambda(registered_twice, mask=no_mask)")
case("FUNCREF", "d MeanMetricWrapper(fn) in compile, fn unregistered", '''
def my_metric(y_true, y_pred):
    return keras.ops.mean(keras.ops.abs(y_true - y_pred))
''', build=SAVE_BUILD + "model.compile(optimizer='sgd', loss='mse', "
                        "metrics=[keras.metrics.MeanMetricWrapper(my_metric)])\n")
case("FUNCREF", "e optimizer learning_rate=fn, fn unregistered", '''
def my_rate():
    return 0.01
''', build=SAVE_BUILD + "model.compile(optimizer=keras.optimizers.SGD(learning_rate=my_rate), "
                        "loss='mse')\n")
case("FUNCREF", "f Lambda(fn, output_shape=shape_fn), both registered", '''
@R(package="m")
def registered_twice(x):
    return x * 2.0

@R(package="m")
def same_shape(shape):
    return shape
''', "keras.layers.Lambda(registered_twice, output_shape=same_shape)")
TEXT_BUILD = """
vectorize = keras.layers.TextVectorization(max_tokens=20, output_mode="int",
                                           output_sequence_length=4, __ARG__)
vectorize.adapt(["Hello World", "hello there"])
model = keras.Sequential([keras.Input((1,), dtype="string"), vectorize])
"""
TEXT_STD = '''
def lower_only(text):
    import tensorflow as tf
    return tf.strings.lower(text)
'''
TEXT_SPLIT = '''
def split_space(text):
    import tensorflow as tf
    return tf.strings.split(text, " ")
'''
TEXT_X = "import tensorflow as tf\nx = tf.constant([['Hello World']])\n"
TEXT_LOAD = TEXT_X + DEFAULT_LOAD  # the reload predicts on the same strings
case("TEXT", "a TextVectorization(standardize=fn), fn unregistered", TEXT_STD,
     build=TEXT_X + TEXT_BUILD.replace("__ARG__", "standardize=lower_only"), load=TEXT_LOAD)
case("TEXT", "b TextVectorization(split=fn), fn unregistered", TEXT_SPLIT,
     build=TEXT_X + TEXT_BUILD.replace("__ARG__", "split=split_space"), load=TEXT_LOAD)
case("TEXT", "c TextVectorization(standardize=fn), fn registered",
     "\n@R(package='m')\n" + TEXT_STD.lstrip("\n"),
     build=TEXT_X + TEXT_BUILD.replace("__ARG__", "standardize=lower_only"), load=TEXT_LOAD)


# ------------------------------------------------------------------ unbuilt child layers
def composite(name, body, make="Block()"):
    case("UB", name, '''
@R(package="m")
class Block(keras.layers.Layer):
''' + textwrap.indent(textwrap.dedent(body), "    "), make)


composite("a children in __init__, build() makes its own weight but never builds them", '''
def __init__(self, **kwargs):
    super().__init__(**kwargs)
    self.inner = keras.layers.Dense(4)
    self.outer = keras.layers.Dense(4)
def build(self, input_shape):
    self.scale = self.add_weight(shape=(4,), initializer="ones")
def call(self, x):
    return self.outer(self.inner(x)) * self.scale
''')
composite("b children in __init__, no build() method", '''
def __init__(self, **kwargs):
    super().__init__(**kwargs)
    self.inner = keras.layers.Dense(4)
    self.outer = keras.layers.Dense(4)
def call(self, x):
    return self.outer(self.inner(x))
''')
composite("c children created in build(), never built there", '''
def build(self, input_shape):
    self.inner = keras.layers.Dense(4)
    self.outer = keras.layers.Dense(4)
def call(self, x):
    return self.outer(self.inner(x))
''')
composite("d children in __init__, build() builds them", '''
def __init__(self, **kwargs):
    super().__init__(**kwargs)
    self.inner = keras.layers.Dense(4)
    self.outer = keras.layers.Dense(4)
def build(self, input_shape):
    self.inner.build(input_shape)
    self.outer.build(self.inner.compute_output_shape(input_shape))
def call(self, x):
    return self.outer(self.inner(x))
''')
composite("e children in __init__, build() only sets a flag (no weights of its own)", '''
def __init__(self, **kwargs):
    super().__init__(**kwargs)
    self.inner = keras.layers.Dense(4)
def build(self, input_shape):
    self.ready = True
def call(self, x):
    return self.inner(x)
''')
case("UB", "f Model subclass with children in __init__, no build()", '''
@R(package="m")
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(4)
    def call(self, x):
        return self.inner(x)
''', build="model = Net()\nmodel(x)\n")
BLOCK = '''
@R(package="m")
class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(4)
    def build(self, input_shape):
        self.scale = self.add_weight(shape=(4,), initializer="ones")
    def call(self, x):
        return self.inner(x) * self.scale
'''
case("UB", "g Model subclass holding a Block (a), no build() of its own", BLOCK + '''
@R(package="m")
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.block = Block()
    def call(self, x):
        return self.block(x)
''', build="model = Net()\nmodel(x)\n")
case("UB", "h Model subclass whose build() builds a Block (a) by hand", BLOCK + '''
@R(package="m")
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.block = Block()
    def build(self, input_shape):
        self.block.build(input_shape)
    def call(self, x):
        return self.block(x)
''', build="model = Net()\nmodel(x)\n")
case("UB", "i Model subclass with children in __init__, build() that builds none of them", '''
@R(package="m")
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(4)
    def build(self, input_shape):
        self.scale = self.add_weight(shape=(4,), initializer="ones")
    def call(self, x):
        return self.inner(x) * self.scale
''', build="model = Net()\nmodel(x)\n")


def _indent(code, spaces=12):
    return textwrap.indent(code, " " * spaces)


def program(c):
    text = CHILD.replace("__BUILD__", _indent(c["build"]))
    text = text.replace("__SAVE__", _indent(c["save"]))
    text = text.replace("__LOAD__", _indent(c["load"]))
    text = text.replace("__HAS_PROBE__", "True" if c["probe"] else "False")
    return text.replace("__PROBE__", c["probe"] or "None")


def child(python, source, phase, work):
    try:
        proc = subprocess.run([python, "-c", source, phase, work], capture_output=True,
                              text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return {"error": ["child timed out after 300 s"]}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"error": ["child died: " + proc.stderr.strip()[-300:]]}


def run(c, python):
    source = program(c)
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "defs.py"), "w") as fh:
            fh.write(HEAD + c["defs"])
        saved = child(python, source, "save", work)
        loaded = child(python, source, "load", work) if saved.get("saved") else {}
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
                if "jax" not in w.lower() and "cuda" not in w.lower()]
    return dict(family=c["family"], name=c["name"], keras=saved.get("keras"),
                backend=saved.get("backend"), verdict=verdict, detail=detail,
                warnings=warnings[:4])


def main(argv):
    python, out = sys.executable, None
    while argv and argv[0] in ("--python", "--out"):
        if argv[0] == "--python":
            python = argv[1]
        else:
            out = argv[1]
        argv = argv[2:]
    chosen = [c for c in CASES if not argv or any(a in f"{c['family']} {c['name']}" for a in argv)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda c: run(c, python), chosen))
    for r in results:
        print(f"{r['family']} {r['name']}  [keras {r['keras']}, {r['backend']}]\n"
              f"    {r['verdict']}")
        for line in r["detail"]:
            print(f"      {line}")
        for w in r["warnings"]:
            print(f"      warning: {w}")
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, out or "issue13_reported_failures.json")
    previous = json.load(open(path)) if os.path.exists(path) else []
    fresh = {(r["family"], r["name"], r["keras"], r["backend"]) for r in results}
    keep = [r for r in previous
            if (r["family"], r["name"], r["keras"], r.get("backend")) not in fresh]
    with open(path, "w") as fh:
        json.dump(keep + results, fh, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
