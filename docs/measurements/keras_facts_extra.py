"""Measure, case by case, how Keras 3 saves and reloads custom objects (extra facts for kcheck).

usage:  python docs/measurements/keras_facts_extra.py [substring ...]
        (keras>=3 and jax installed; KERAS_BACKEND defaults to jax; a substring selects cases)

Method (same as ../../shared/keras_facts.py): every case is saved in one child process and
reloaded in a *fresh* child process that only re-runs the definitions -- the way a serving job
would load a model. Nothing from the saving process survives into the loading one except files.

Kinds of round trip:
  layer    MAKE is a layer; it is wrapped in a functional model on keras.Input(SHAPE), predicted on,
           saved with model.save(.keras) and reloaded with keras.models.load_model.
  model    MAKE is a Model; it is called once, saved and reloaded.
  object   MAKE is a loss/metric/initializer/...; serialize_keras_object -> JSON file ->
           deserialize_keras_object in the fresh process.
  compile  a tiny Dense model is compiled with COMPILE (an argument list that may use MAKE),
           evaluated, saved, reloaded with load_model (compile=True by default) and re-evaluated.
  custom   SAVE / LOAD are code strings that set `obj` (and, for SAVE, save the files).

Every case may carry PROBE, an expression over `obj` whose value is compared before/after,
LOAD_KW (extra load_model arguments), CTX (a context manager around the load), and MODULE=True
(the definitions live in a module file `factdefs.py` that both children import, instead of
in __main__).  Verdicts: SAVE FAILS (anything failing before the file is written, including
build/call errors), LOAD FAILS, SILENT DIFF (loads, but outputs/config/probe differ), round-trips.
The raw results are also written next to this script as keras_facts_extra.json.
"""
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))

PRELUDE = """
import os, sys, json, warnings
os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np
import keras
R = keras.saving.register_keras_serializable
"""

# --------------------------------------------------------------------------------------------
# the child program; DEFS, MAKE, ... are substituted per case
CHILD = r'''
phase, work = sys.argv[1], sys.argv[2]
KIND, SHAPE, PROBE, LOAD_KW, CTX = __KIND__, __SHAPE__, __PROBE__, __LOAD_KW__, __CTX__
rng = np.random.RandomState(0)
x = rng.rand(2, *SHAPE).astype("float32")
yt = rng.rand(2, 1).astype("float32")
yp = rng.rand(2, 1).astype("float32")

def chain(e):
    out, seen = [], set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        out.append(type(e).__name__ + ": " + " ".join(str(e).split())[:400])
        e = e.__cause__ or e.__context__
    return out

def norm(v):
    if hasattr(v, "shape") and hasattr(v, "dtype"):
        v = np.asarray(v).tolist()
    if isinstance(v, float):
        return round(v, 5)
    if isinstance(v, (list, tuple)):
        return [norm(i) for i in v]
    if isinstance(v, dict):
        return {str(k): norm(i) for k, i in v.items()}
    if isinstance(v, (int, str, bool, type(None))):
        return v
    return repr(type(v).__name__)

def probe(obj):
    if PROBE is None:
        return None
    try:
        return norm(eval(PROBE))
    except Exception as e:
        return "PROBE ERROR " + chain(e)[-1]

def config_of(obj):
    try:
        return json.loads(json.dumps(obj.get_config(), default=lambda o: repr(type(o).__name__)))
    except Exception as e:
        return "get_config raised " + chain(e)[-1]

import contextlib
out = {"warnings": []}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    try:
        if phase == "save":
            if KIND == "layer":
                obj = __MAKE__
                inp = keras.Input(SHAPE)
                model = keras.Model(inp, obj(inp))
                y = model.predict(x, verbose=0)
            elif KIND == "model":
                obj = model = __MAKE__
                y = model.predict(x, verbose=0)
            elif KIND == "compile":
                model = keras.Sequential([keras.Input(SHAPE), keras.layers.Dense(1, kernel_initializer="ones")])
                model.compile(__COMPILE__)
                obj = model
                y = model.evaluate(x, yt, verbose=0, return_dict=True)
            elif KIND == "object":
                obj = __MAKE__
                cfg = keras.saving.serialize_keras_object(obj)
                with open(work + "/obj.json", "w") as fh:
                    json.dump(cfg, fh)
                y = None
            else:
                y = None
__SAVE__
            out["probe"] = probe(obj)
            out["config"] = config_of(obj)
            out["y"] = norm(y)
            if KIND in ("layer", "model", "compile") or (
                    KIND == "custom" and "model" in globals() and not os.path.exists(work + "/m.keras")):
                model.save(work + "/m.keras")
            out["saved"] = True
        else:
            ctx = eval(CTX) if CTX else contextlib.nullcontext()
            with ctx:
                if KIND in ("layer", "model", "compile"):
                    m = eval("keras.models.load_model(work + '/m.keras'" + (", " + LOAD_KW if LOAD_KW else "") + ")")
                    obj = m.layers[-1] if KIND == "layer" else m
                    if KIND == "compile":
                        y = m.evaluate(x, yt, verbose=0, return_dict=True)
                    else:
                        y = m.predict(x, verbose=0)
                elif KIND == "object":
                    with open(work + "/obj.json") as fh:
                        cfg = json.load(fh)
                    obj = keras.saving.deserialize_keras_object(cfg)
                    y = None
                else:
                    y = None
__LOAD__
            out["probe"] = probe(obj)
            out["config"] = config_of(obj)
            out["y"] = norm(y)
            out["loaded"] = True
    except Exception as e:
        out["error"] = chain(e)
    for w in caught:
        msg = " ".join(str(w.message).split())[:200]
        if msg not in out["warnings"]:
            out["warnings"].append(msg)
print("RESULT " + json.dumps(out, default=repr))
'''


def case(rule, name, defs="", make="None", kind="layer", **kw):
    return dict(rule=rule, name=name, defs=textwrap.dedent(defs), make=make, kind=kind, **kw)


# the definitions end with the closing quotes' indentation (8 spaces), so the first line gets 4
LAYER_CALL = "    def call(self, x):\n                return x * self.f\n"

CASES = [
    # ---------------------------------------------------------------- KS101 missing get_config
    case("KS101", "a Model subclass, basic arg units=8 (default 4), no get_config", """
        @R(package="facts")
        class Net(keras.Model):
            def __init__(self, units=4, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.dense = keras.layers.Dense(units)
            def call(self, x):
                return self.dense(x)
        """, "Net(units=8)", kind="model", PROBE="obj.units"),
    case("KS101", "a2 Model subclass, units passed positionally Net(8)", """
        @R(package="facts")
        class Net(keras.Model):
            def __init__(self, units=4, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.dense = keras.layers.Dense(units)
            def call(self, x):
                return self.dense(x)
        """, "Net(8)", kind="model", PROBE="obj.units"),
    case("KS101", "a5 Model subclass, basic arg factor=3.0 not affecting weight shapes (default 1.0)", """
        @R(package="facts")
        class Net(keras.Model):
            def __init__(self, factor=1.0, **kwargs):
                super().__init__(**kwargs)
                self.factor = factor
                self.dense = keras.layers.Dense(2)
            def call(self, x):
                return self.dense(x) * self.factor
        """, "Net(factor=3.0)", kind="model", PROBE="obj.factor"),
    case("KS101", "a6 Model subclass, required basic arg units (no default), no get_config", """
        @R(package="facts")
        class Net(keras.Model):
            def __init__(self, units, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.dense = keras.layers.Dense(units)
            def call(self, x):
                return self.dense(x)
        """, "Net(8)", kind="model", PROBE="obj.units"),
    case("KS101", "a7 Model subclass without parameters, no get_config", """
        @R(package="facts")
        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.dense = keras.layers.Dense(2)
            def call(self, x):
                return self.dense(x)
        """, "Net()", kind="model"),
    case("KS101", "a3 Model subclass with a layer argument, no get_config", """
        @R(package="facts")
        class Head(keras.Model):
            def __init__(self, body, **kwargs):
                super().__init__(**kwargs)
                self.body = body
            def call(self, x):
                return self.body(x)
        """, "Head(keras.layers.Dense(3))", kind="model"),
    case("KS101", "a4 functional-style Model subclass (super().__init__(inputs, outputs)), basic arg", """
        @R(package="facts")
        class FNet(keras.Model):
            def __init__(self, units=4, **kwargs):
                inp = keras.Input((4,))
                out = keras.layers.Dense(units)(inp)
                super().__init__(inp, out, **kwargs)
                self.units = units
        """, "FNet(units=8)", kind="model", PROBE="obj.units"),
    case("KS101", "b1 Layer with a registered python function argument, no get_config", """
        @R(package="facts")
        def twice(x):
            return x * 2.0
        @R(package="facts")
        class Act(keras.layers.Layer):
            def __init__(self, fn=None, **kwargs):
                super().__init__(**kwargs)
                self.fn = fn
            def call(self, x):
                return self.fn(x)
        """, "Act(twice)"),
    case("KS101", "b2 Layer with a keras activation function argument (keras.activations.relu)", """
        @R(package="facts")
        class Act(keras.layers.Layer):
            def __init__(self, fn=None, **kwargs):
                super().__init__(**kwargs)
                self.fn = fn
            def call(self, x):
                return self.fn(x)
        """, "Act(keras.activations.relu)"),
    case("KS101", "b3 Layer with activation='relu' string resolved by keras.activations.get", """
        @R(package="facts")
        class Act(keras.layers.Layer):
            def __init__(self, fn="relu", **kwargs):
                super().__init__(**kwargs)
                self.fn = keras.activations.get(fn)
            def call(self, x):
                return self.fn(x - 0.5)
        """, "Act('tanh')"),
    case("KS101", "c1 Layer with a list-of-ints argument, no get_config", """
        @R(package="facts")
        class Sel(keras.layers.Layer):
            def __init__(self, idx=(0,), **kwargs):
                super().__init__(**kwargs)
                self.idx = idx
            def call(self, x):
                return keras.ops.take(x, list(self.idx), axis=-1)
        """, "Sel([1, 3])", PROBE="[type(obj.idx).__name__, obj.idx]"),
    case("KS101", "c2 Layer with a tuple argument, no get_config", """
        @R(package="facts")
        class Sel(keras.layers.Layer):
            def __init__(self, idx=(0,), **kwargs):
                super().__init__(**kwargs)
                self.idx = idx
            def call(self, x):
                return keras.ops.take(x, list(self.idx), axis=-1)
        """, "Sel((1, 3))", PROBE="[type(obj.idx).__name__, obj.idx]"),
    case("KS101", "c3 Layer with a dict-of-basics argument, no get_config", """
        @R(package="facts")
        class Aff(keras.layers.Layer):
            def __init__(self, p=None, **kwargs):
                super().__init__(**kwargs)
                self.p = p or {"a": 1.0, "b": 0.0}
            def call(self, x):
                return x * self.p["a"] + self.p["b"]
        """, "Aff({'a': 2.0, 'b': 5.0})", PROBE="[type(obj.p).__name__, obj.p]"),
    case("KS101", "d1 positional-only parameter (a, /), no get_config", """
        @R(package="facts")
        class Pos(keras.layers.Layer):
            def __init__(self, f, /, **kwargs):
                super().__init__(**kwargs)
                self.f = f
        """ + LAYER_CALL, "Pos(2.0)"),
    case("KS101", "d2 positional-only parameter with a default, caller passes nothing", """
        @R(package="facts")
        class Pos(keras.layers.Layer):
            def __init__(self, f=2.0, /, **kwargs):
                super().__init__(**kwargs)
                self.f = f
        """ + LAYER_CALL, "Pos()"),
    case("KS101", "e1 *args parameter filled by the caller, no get_config", """
        @R(package="facts")
        class Var(keras.layers.Layer):
            def __init__(self, *fs, **kwargs):
                super().__init__(**kwargs)
                self.f = sum(fs) if fs else 1.0
        """ + LAYER_CALL, "Var(2.0, 3.0)"),
    case("KS101", "e2 *args parameter, caller passes none", """
        @R(package="facts")
        class Var(keras.layers.Layer):
            def __init__(self, *fs, **kwargs):
                super().__init__(**kwargs)
                self.f = sum(fs) if fs else 1.0
        """ + LAYER_CALL, "Var()"),
    case("KS101", "f1 Loss subclass with extra factor=3.0 (default 1.0), no get_config: object", """
        @R(package="facts")
        class Scaled(keras.losses.Loss):
            def __init__(self, factor=1.0, name="scaled", **kwargs):
                super().__init__(name=name, **kwargs)
                self.factor = factor
            def call(self, y_true, y_pred):
                return self.factor * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
        """, "Scaled(3.0)", kind="object", PROBE="[getattr(obj, 'factor', None), float(obj(yt, yp))]"),
    case("KS101", "f2 same Loss in compile(loss=...) + model.save + load_model", """
        @R(package="facts")
        class Scaled(keras.losses.Loss):
            def __init__(self, factor=1.0, name="scaled", **kwargs):
                super().__init__(name=name, **kwargs)
                self.factor = factor
            def call(self, y_true, y_pred):
                return self.factor * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
        """, kind="compile", COMPILE='optimizer="sgd", loss=Scaled(3.0)'),
    case("KS101", "f3 Loss subclass with a required extra param, no get_config: object", """
        @R(package="facts")
        class Scaled(keras.losses.Loss):
            def __init__(self, factor, name="scaled", **kwargs):
                super().__init__(name=name, **kwargs)
                self.factor = factor
            def call(self, y_true, y_pred):
                return self.factor * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
        """, "Scaled(3.0)", kind="object", PROBE="float(obj(yt, yp))"),
    case("KS101", "f4 same required-param Loss via compile + save + load_model", """
        @R(package="facts")
        class Scaled(keras.losses.Loss):
            def __init__(self, factor, name="scaled", **kwargs):
                super().__init__(name=name, **kwargs)
                self.factor = factor
            def call(self, y_true, y_pred):
                return self.factor * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
        """, kind="compile", COMPILE='optimizer="sgd", loss=Scaled(3.0)'),
    case("KS101", "f5 Loss subclass with only name/reduction/dtype, no get_config: object", """
        @R(package="facts")
        class Plain(keras.losses.Loss):
            def call(self, y_true, y_pred):
                return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)
        """, "Plain(name='plain', reduction='sum')", kind="object", PROBE="float(obj(yt, yp))"),
    case("KS101", "g1 Metric subclass with extra threshold=0.9 (default 0.5), no get_config: object", """
        @R(package="facts")
        class Count(keras.metrics.Metric):
            def __init__(self, threshold=0.5, name="count", **kwargs):
                super().__init__(name=name, **kwargs)
                self.threshold = threshold
                self.total = self.add_variable(shape=(), initializer="zeros", name="total")
            def update_state(self, y_true, y_pred, sample_weight=None):
                self.total.assign_add(keras.ops.sum(keras.ops.cast(y_pred > self.threshold, "float32")))
            def result(self):
                return self.total * 1.0
        """, "Count(0.9)", kind="object",
         PROBE="[getattr(obj, 'threshold', None), (obj.update_state(yt, np.array([[0.7], [0.95]], 'float32')), float(obj.result()))[1]]"),
    case("KS101", "g2 same Metric in compile(metrics=[...]) + save + load_model", """
        @R(package="facts")
        class Count(keras.metrics.Metric):
            def __init__(self, threshold=0.5, name="count", **kwargs):
                super().__init__(name=name, **kwargs)
                self.threshold = threshold
                self.total = self.add_variable(shape=(), initializer="zeros", name="total")
            def update_state(self, y_true, y_pred, sample_weight=None):
                self.total.assign_add(keras.ops.sum(keras.ops.cast(y_pred > self.threshold, "float32")))
            def result(self):
                return self.total * 1.0
        """, kind="compile", COMPILE='optimizer="sgd", loss="mse", metrics=[Count(2.45)]'),
    case("KS101", "h1 Initializer subclass with value=3.0 (default 1.0), no get_config: object", """
        @R(package="facts")
        class Fill(keras.initializers.Initializer):
            def __init__(self, value=1.0):
                self.value = value
            def __call__(self, shape, dtype=None):
                return keras.ops.full(shape, self.value, dtype=dtype)
        """, "Fill(3.0)", kind="object", PROBE="obj((2,))"),
    case("KS101", "h2 same Initializer as Dense(kernel_initializer=...) in a saved model", """
        @R(package="facts")
        class Fill(keras.initializers.Initializer):
            def __init__(self, value=1.0):
                self.value = value
            def __call__(self, shape, dtype=None):
                return keras.ops.full(shape, self.value, dtype=dtype)
        """, "keras.layers.Dense(2, kernel_initializer=Fill(3.0))", PROBE="obj.kernel_initializer.value"),
    case("KS101", "h3 Initializer subclass with a required param, no get_config: object", """
        @R(package="facts")
        class Fill(keras.initializers.Initializer):
            def __init__(self, value):
                self.value = value
            def __call__(self, shape, dtype=None):
                return keras.ops.full(shape, self.value, dtype=dtype)
        """, "Fill(3.0)", kind="object", PROBE="obj((2,))"),
    case("KS101", "h4 Regularizer subclass with rate=0.5, no get_config: object", """
        @R(package="facts")
        class L1ish(keras.regularizers.Regularizer):
            def __init__(self, rate=0.01):
                self.rate = rate
            def __call__(self, w):
                return self.rate * keras.ops.sum(keras.ops.abs(w))
        """, "L1ish(0.5)", kind="object", PROBE="obj(np.ones((2,), 'float32'))"),
    case("KS101", "h5 same Regularizer as Dense(kernel_regularizer=...) in a saved model", """
        @R(package="facts")
        class L1ish(keras.regularizers.Regularizer):
            def __init__(self, rate=0.01):
                self.rate = rate
            def __call__(self, w):
                return self.rate * keras.ops.sum(keras.ops.abs(w))
        """, "keras.layers.Dense(2, kernel_regularizer=L1ish(0.5))", PROBE="obj.kernel_regularizer.rate"),
    case("KS101", "h6 Constraint subclass with cap=0.5 (default 1.0), no get_config: object", """
        @R(package="facts")
        class Cap(keras.constraints.Constraint):
            def __init__(self, cap=1.0):
                self.cap = cap
            def __call__(self, w):
                return keras.ops.minimum(w, self.cap)
        """, "Cap(0.5)", kind="object", PROBE="obj(np.ones((2,), 'float32'))"),
    case("KS101", "h7 same Constraint as Dense(kernel_constraint=...) in a saved model", """
        @R(package="facts")
        class Cap(keras.constraints.Constraint):
            def __init__(self, cap=1.0):
                self.cap = cap
            def __call__(self, w):
                return keras.ops.minimum(w, self.cap)
        """, "keras.layers.Dense(2, kernel_constraint=Cap(0.5))", PROBE="obj.kernel_constraint.cap"),
    case("KS101", "h8 LearningRateSchedule subclass with lr=0.1, no get_config: object", """
        @R(package="facts")
        class Flat(keras.optimizers.schedules.LearningRateSchedule):
            def __init__(self, lr=0.01):
                self.lr = lr
            def __call__(self, step):
                return self.lr
        """, "Flat(0.1)", kind="object", PROBE="float(obj(10))"),
    case("KS101", "h9 same schedule as SGD(learning_rate=...) in compile + save + load_model", """
        @R(package="facts")
        class Flat(keras.optimizers.schedules.LearningRateSchedule):
            def __init__(self, lr=0.01):
                self.lr = lr
            def __call__(self, step):
                return self.lr
        """, kind="compile", COMPILE='optimizer=keras.optimizers.SGD(learning_rate=Flat(0.1)), loss="mse"'),
    case("KS101", "i1 Layer param default is an object (initializer=keras.initializers.Zeros()), caller uses default", """
        @R(package="facts")
        class Bias(keras.layers.Layer):
            def __init__(self, initializer=keras.initializers.Zeros(), **kwargs):
                super().__init__(**kwargs)
                self.initializer = initializer
            def build(self, input_shape):
                self.b = self.add_weight(shape=(input_shape[-1],), initializer=self.initializer)
            def call(self, x):
                return x + self.b
        """, "Bias()"),
    case("KS101", "i2 same with a string default initializer='zeros'", """
        @R(package="facts")
        class Bias(keras.layers.Layer):
            def __init__(self, initializer="zeros", **kwargs):
                super().__init__(**kwargs)
                self.initializer = initializer
            def build(self, input_shape):
                self.b = self.add_weight(shape=(input_shape[-1],), initializer=self.initializer)
            def call(self, x):
                return x + self.b
        """, "Bias()"),
    case("KS101", "j1 Layer with an np.ndarray param, no get_config", """
        @R(package="facts")
        class Table(keras.layers.Layer):
            def __init__(self, table: np.ndarray, **kwargs):
                super().__init__(**kwargs)
                self.table = table
            def call(self, x):
                return x + self.table
        """, "Table(np.arange(4, dtype='float32'))"),
    case("KS101", "k1 Layer param annotated np.ndarray, caller passes a list of floats", """
        @R(package="facts")
        class Table(keras.layers.Layer):
            def __init__(self, table: np.ndarray = None, **kwargs):
                super().__init__(**kwargs)
                self.table = np.asarray(table, "float32")
            def call(self, x):
                return x + self.table
        """, "Table([0.0, 1.0, 2.0, 3.0])"),
    case("KS101", "k2 Layer param inner=None, Dense created in __init__ when None, caller passes nothing", """
        @R(package="facts")
        class Opt(keras.layers.Layer):
            def __init__(self, inner=None, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner or keras.layers.Dense(4)
            def call(self, x):
                return self.inner(x)
        """, "Opt()"),

    # ---------------------------------------------------------------- KS201 nested objects
    case("KS201", "a get_config returns the raw sublayer (inner: self.inner), no from_config", """
        @R(package="facts")
        class Wrap(keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner
            def call(self, x):
                return self.inner(x)
            def get_config(self):
                return {**super().get_config(), "inner": self.inner}
        """, "Wrap(keras.layers.Dense(4))"),
    case("KS201", "b1 list of sublayers through serialize_keras_object, no from_config", """
        @R(package="facts")
        class Stack(keras.layers.Layer):
            def __init__(self, blocks, **kwargs):
                super().__init__(**kwargs)
                self.blocks = blocks
            def call(self, x):
                for b in self.blocks:
                    x = b(x)
                return x
            def get_config(self):
                return {**super().get_config(), "blocks": [keras.saving.serialize_keras_object(b) for b in self.blocks]}
        """, "Stack([keras.layers.Dense(4), keras.layers.Dense(4)])"),
    case("KS201", "b2 raw list of sublayers in get_config, no from_config", """
        @R(package="facts")
        class Stack(keras.layers.Layer):
            def __init__(self, blocks, **kwargs):
                super().__init__(**kwargs)
                self.blocks = blocks
            def call(self, x):
                for b in self.blocks:
                    x = b(x)
                return x
            def get_config(self):
                return {**super().get_config(), "blocks": self.blocks}
        """, "Stack([keras.layers.Dense(4), keras.layers.Dense(4)])"),
    case("KS201", "b3 list of sublayers serialized, from_config deserializes each", """
        @R(package="facts")
        class Stack(keras.layers.Layer):
            def __init__(self, blocks, **kwargs):
                super().__init__(**kwargs)
                self.blocks = blocks
            def call(self, x):
                for b in self.blocks:
                    x = b(x)
                return x
            def get_config(self):
                return {**super().get_config(), "blocks": [keras.saving.serialize_keras_object(b) for b in self.blocks]}
            @classmethod
            def from_config(cls, config):
                config["blocks"] = [keras.saving.deserialize_keras_object(b) for b in config["blocks"]]
                return cls(**config)
        """, "Stack([keras.layers.Dense(4), keras.layers.Dense(4)])"),
    case("KS201", "c1 initializer from keras.initializers.get stored raw in config, __init__ calls get()", """
        @R(package="facts")
        class Bias(keras.layers.Layer):
            def __init__(self, init="zeros", **kwargs):
                super().__init__(**kwargs)
                self.init = keras.initializers.get(init)
            def build(self, input_shape):
                self.b = self.add_weight(shape=(input_shape[-1],), initializer=self.init)
            def call(self, x):
                return x + self.b
            def get_config(self):
                return {**super().get_config(), "init": self.init}
        """, "Bias(keras.initializers.Constant(2.0))", PROBE="type(obj.init).__name__"),
    case("KS201", "c2 initializer object stored raw, __init__ does NOT call get(), used via add_weight", """
        @R(package="facts")
        class Bias(keras.layers.Layer):
            def __init__(self, init="zeros", **kwargs):
                super().__init__(**kwargs)
                self.init = init
            def build(self, input_shape):
                self.b = self.add_weight(shape=(input_shape[-1],), initializer=self.init)
            def call(self, x):
                return x + self.b
            def get_config(self):
                return {**super().get_config(), "init": self.init}
        """, "Bias(keras.initializers.Constant(2.0))", PROBE="type(obj.init).__name__"),
    case("KS201", "c3 initializer via keras.initializers.serialize (Dense style), __init__ calls get()", """
        @R(package="facts")
        class Bias(keras.layers.Layer):
            def __init__(self, init="zeros", **kwargs):
                super().__init__(**kwargs)
                self.init = keras.initializers.get(init)
            def build(self, input_shape):
                self.b = self.add_weight(shape=(input_shape[-1],), initializer=self.init)
            def call(self, x):
                return x + self.b
            def get_config(self):
                return {**super().get_config(), "init": keras.initializers.serialize(self.init)}
        """, "Bias(keras.initializers.Constant(2.0))", PROBE="type(obj.init).__name__"),
    case("KS201", "c4 activation via keras.activations.serialize, __init__ calls activations.get()", """
        @R(package="facts")
        class Act(keras.layers.Layer):
            def __init__(self, act="linear", **kwargs):
                super().__init__(**kwargs)
                self.act = keras.activations.get(act)
            def call(self, x):
                return self.act(x - 0.5)
            def get_config(self):
                return {**super().get_config(), "act": keras.activations.serialize(self.act)}
        """, "Act('relu')"),
    case("KS201", "c5 activation function stored raw in config, __init__ uses it directly (no get())", """
        @R(package="facts")
        class Act(keras.layers.Layer):
            def __init__(self, act=None, **kwargs):
                super().__init__(**kwargs)
                self.act = act
            def call(self, x):
                return self.act(x - 0.5)
            def get_config(self):
                return {**super().get_config(), "act": self.act}
        """, "Act(keras.activations.relu)"),
    case("KS201", "d from_config uses keras.layers.deserialize", """
        @R(package="facts")
        class Wrap(keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner
            def call(self, x):
                return self.inner(x)
            def get_config(self):
                return {**super().get_config(), "inner": keras.layers.serialize(self.inner)}
            @classmethod
            def from_config(cls, config):
                config["inner"] = keras.layers.deserialize(config["inner"])
                return cls(**config)
        """, "Wrap(keras.layers.Dense(4))"),
    case("KS201", "e sublayer serialized, __init__ deserializes dicts itself, no from_config", """
        @R(package="facts")
        class Wrap(keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                if isinstance(inner, dict):
                    inner = keras.layers.deserialize(inner)
                self.inner = inner
            def call(self, x):
                return self.inner(x)
            def get_config(self):
                return {**super().get_config(), "inner": keras.layers.serialize(self.inner)}
        """, "Wrap(keras.layers.Dense(4))"),
    case("KS201", "f raw sublayer in config, from_config deserializes", """
        @R(package="facts")
        class Wrap(keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner
            def call(self, x):
                return self.inner(x)
            def get_config(self):
                return {**super().get_config(), "inner": self.inner}
            @classmethod
            def from_config(cls, config):
                config["inner"] = keras.saving.deserialize_keras_object(config["inner"])
                return cls(**config)
        """, "Wrap(keras.layers.Dense(4))"),
    case("KS201", "g Model subclass, get_config serializes a sublayer, no from_config", """
        @R(package="facts")
        class Head(keras.Model):
            def __init__(self, body, **kwargs):
                super().__init__(**kwargs)
                self.body = body
            def call(self, x):
                return self.body(x)
            def get_config(self):
                return {**super().get_config(), "body": keras.saving.serialize_keras_object(self.body)}
        """, "Head(keras.layers.Dense(3))", kind="model"),

    # ---------------------------------------------------------------- KS301 registration
    case("KS301", "a unregistered Inner only constructed in registered Outer.__init__", """
        class Inner(keras.layers.Layer):
            def __init__(self, f=2.0, **kwargs):
                super().__init__(**kwargs)
                self.f = f
            def call(self, x):
                return x * self.f
        @R(package="facts")
        class Outer(keras.layers.Layer):
            def __init__(self, f=2.0, **kwargs):
                super().__init__(**kwargs)
                self.inner = Inner(f)
            def call(self, x):
                return self.inner(x)
        """, "Outer(3.0)"),
    case("KS301", "b unregistered Inner (with weights) only constructed in registered Outer.build", """
        class Inner(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1],), initializer="random_normal")
            def call(self, x):
                return x * self.w
        @R(package="facts")
        class Outer(keras.layers.Layer):
            def build(self, input_shape):
                self.inner = Inner()
                self.inner.build(input_shape)
            def call(self, x):
                return self.inner(x)
        """, "Outer()"),
    case("KS301", "c unregistered abstract base, registered Child", """
        class Base(keras.layers.Layer):
            def __init__(self, f=1.0, **kwargs):
                super().__init__(**kwargs)
                self.f = f
            def call(self, x):
                return x * self.scale()
        @R(package="facts")
        class Child(Base):
            def scale(self):
                return self.f * 2.0
        """, "Child(3.0)"),
    case("KS301", "c2 unregistered base that is itself constructed and saved", """
        class Base(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        @R(package="facts")
        class Child(Base):
            pass
        """, "Base()"),
    case("KS301", "d1 unregistered class, load_model(custom_objects={'Loose': Loose})", """
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        """, "Loose()", LOAD_KW='custom_objects={"Loose": Loose}'),
    case("KS301", "d2 unregistered class, load inside keras.saving.custom_object_scope", """
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        """, "Loose()", CTX='keras.saving.custom_object_scope({"Loose": Loose})'),
    case("KS301", "d3 unregistered class, keras.saving.CustomObjectScope (alias)", """
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        """, "Loose()", CTX='keras.saving.CustomObjectScope({"Loose": Loose})'),
    case("KS301", "d4 unregistered class, custom_objects only at save time (keras.saving.custom_object_scope around save)", """
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        """, kind="custom", SAVE="""
            with keras.saving.custom_object_scope({"Loose": Loose}):
                obj = Loose()
                inp = keras.Input(SHAPE)
                model = keras.Model(inp, obj(inp))
                y = model.predict(x, verbose=0)
                model.save(work + "/m.keras")
        """, LOAD="""
            m = keras.models.load_model(work + "/m.keras")
            obj = m.layers[-1]
            y = m.predict(x, verbose=0)
        """),
    case("KS301", "e project decorator wrapping register_keras_serializable", """
        def export(cls):
            return keras.saving.register_keras_serializable(package="p")(cls)
        @export
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        """, "Loose()"),
    case("KS301", "f1 call form register_keras_serializable(package='p')(Cls), result discarded", """
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        keras.saving.register_keras_serializable(package="p")(Loose)
        """, "Loose()"),
    case("KS301", "f2 get_custom_objects()['Loose'] = Loose", """
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        keras.saving.get_custom_objects()["Loose"] = Loose
        """, "Loose()", PROBE="type(obj).__name__"),
    case("KS301", "f3 get_custom_objects()['p>Loose'] = Loose", """
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        keras.saving.get_custom_objects()["p>Loose"] = Loose
        """, "Loose()"),
    case("KS301", "f4 registered as p>Loose but load with custom_objects={'Loose': ...}? (registered saves p>Loose; loader without registration)", """
        import sys as _s
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        if _s.argv[1] == "save":
            keras.saving.register_keras_serializable(package="p")(Loose)
        """, "Loose()", LOAD_KW='custom_objects={"Loose": Loose}'),
    case("KS301", "g unregistered subclassed Model saved with model.save", """
        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.d = keras.layers.Dense(2)
            def call(self, x):
                return self.d(x)
        """, "Net()", kind="model"),
    case("KS301", "h1 unregistered Loss in compile, load_model default (compile=True)", """
        class MyLoss(keras.losses.Loss):
            def call(self, y_true, y_pred):
                return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)
        """, kind="compile", COMPILE='optimizer="sgd", loss=MyLoss()'),
    case("KS301", "h2 unregistered Loss in compile, load_model(compile=False)", """
        class MyLoss(keras.losses.Loss):
            def call(self, y_true, y_pred):
                return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)
        """, kind="custom", SAVE="""
            obj = model = keras.Sequential([keras.Input(SHAPE), keras.layers.Dense(1, kernel_initializer="ones")])
            model.compile(optimizer="sgd", loss=MyLoss())
            y = model.predict(x, verbose=0)
        """, LOAD="""
            obj = m = keras.models.load_model(work + "/m.keras", compile=False)
            y = m.predict(x, verbose=0)
        """, PROBE="obj.compiled"),
    case("KS301", "h3 unregistered Metric in compile, load_model default", """
        class Hits(keras.metrics.Metric):
            def __init__(self, name="hits", **kwargs):
                super().__init__(name=name, **kwargs)
                self.total = self.add_variable(shape=(), initializer="zeros", name="total")
            def update_state(self, y_true, y_pred, sample_weight=None):
                self.total.assign_add(keras.ops.sum(keras.ops.cast(y_pred > 0.5, "float32")))
            def result(self):
                return self.total * 1.0
        """, kind="compile", COMPILE='optimizer="sgd", loss="mse", metrics=[Hits()]'),
    case("KS301", "h4 unregistered plain loss function in compile, load_model default", """
        def my_loss(y_true, y_pred):
            return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)
        """, kind="compile", COMPILE='optimizer="sgd", loss=my_loss'),
    case("KS301", "i unregistered class living in an imported module (not __main__)", """
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        """, "Loose()", MODULE=True),
    case("KS301", "i2 registered class living in an imported module", """
        @R(package="facts")
        class Loose(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        """, "Loose()", MODULE=True),
    case("KS301", "j unregistered Initializer used in Dense(kernel_initializer=...)", """
        class Fill(keras.initializers.Initializer):
            def __call__(self, shape, dtype=None):
                return keras.ops.ones(shape, dtype=dtype)
        """, "keras.layers.Dense(2, kernel_initializer=Fill())"),
    case("KS301", "k unregistered Inner built in registered Outer.__init__ but also emitted in get_config + from_config", """
        class Inner(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        @R(package="facts")
        class Outer(keras.layers.Layer):
            def __init__(self, inner=None, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner or Inner()
            def call(self, x):
                return self.inner(x)
            def get_config(self):
                return {**super().get_config(), "inner": keras.saving.serialize_keras_object(self.inner)}
            @classmethod
            def from_config(cls, config):
                config["inner"] = keras.saving.deserialize_keras_object(config["inner"])
                return cls(**config)
        """, "Outer()"),
    case("KS301", "l unregistered Inner constructed by the caller and passed to registered Outer (auto-config fails anyway)", """
        class Inner(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        @R(package="facts")
        class Outer(keras.layers.Layer):
            def __init__(self, inner, **kwargs):
                super().__init__(**kwargs)
                self.inner = inner
            def call(self, x):
                return self.inner(x)
        """, "Outer(Inner())"),
    case("KS301", "m unregistered Inner used in a Sequential inside registered Outer.__init__", """
        class Inner(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        @R(package="facts")
        class Outer(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.seq = keras.Sequential([Inner(), keras.layers.Dense(2)])
            def call(self, x):
                return self.seq(x)
        """, "Outer()"),
    case("KS301", "n unregistered Inner in a registered functional-style Model subclass graph", """
        class Inner(keras.layers.Layer):
            def call(self, x):
                return x * 2.0
        @R(package="facts")
        class FNet(keras.Model):
            def __init__(self, **kwargs):
                inp = keras.Input((4,))
                super().__init__(inp, Inner()(inp), **kwargs)
        """, "FNet()", kind="model"),

    # ---------------------------------------------------------------- KS401 build signature
    case("KS401", "a build(self, input_shape, units=4), built by calling", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, input_shape, units=4):
                self.w = self.add_weight(shape=(input_shape[-1], units))
            def call(self, x):
                return x @ self.w
        """, "B()"),
    case("KS401", "a2 build(self, input_shape, units=4), built by hand with units=2 then called", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, input_shape, units=4):
                self.w = self.add_weight(shape=(input_shape[-1], units))
            def call(self, x):
                return x @ self.w
        """, kind="custom", SAVE="""
            obj = B()
            obj.build((None, 4), units=2)
            inp = keras.Input(SHAPE)
            model = keras.Model(inp, obj(inp))
            y = model.predict(x, verbose=0)
        """, LOAD="""
            m = keras.models.load_model(work + "/m.keras")
            obj = m.layers[-1]
            y = m.predict(x, verbose=0)
        """),
    case("KS401", "b build(self, input_shape, units) required extra param, built by calling", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, input_shape, units):
                self.w = self.add_weight(shape=(input_shape[-1], units))
            def call(self, x):
                return x @ self.w
        """, "B()"),
    case("KS401", "b2 build(self, input_shape, units) required, built by hand then called", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, input_shape, units):
                self.w = self.add_weight(shape=(input_shape[-1], units))
            def call(self, x):
                return x @ self.w
        """, kind="custom", SAVE="""
            obj = B()
            obj.build((None, 4), 2)
            inp = keras.Input(SHAPE)
            model = keras.Model(inp, obj(inp))
            y = model.predict(x, verbose=0)
        """, LOAD="""
            m = keras.models.load_model(work + "/m.keras")
            obj = m.layers[-1]
            y = m.predict(x, verbose=0)
        """),
    case("KS401", "c build extras + get_build_config/build_from_config, built by calling", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, input_shape, units=4):
                self.units = units
                self.w = self.add_weight(shape=(input_shape[-1], units))
            def call(self, x):
                return x @ self.w
            def get_build_config(self):
                return {"shape": self._shape, "units": self.units}
            def build_from_config(self, config):
                self.build(config["shape"], config["units"])
        """, "B()"),
    case("KS401", "c2 build extras + get_build_config/build_from_config, built by hand then called", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, input_shape, units=4):
                self.units = units
                self.shape_ = list(input_shape)
                self.w = self.add_weight(shape=(input_shape[-1], units))
            def call(self, x):
                return x @ self.w
            def get_build_config(self):
                return {"shape": self.shape_, "units": self.units}
            def build_from_config(self, config):
                self.build(config["shape"], config["units"])
        """, kind="custom", SAVE="""
            obj = B()
            obj.build((None, 4), units=2)
            inp = keras.Input(SHAPE)
            model = keras.Model(inp, obj(inp))
            y = model.predict(x, verbose=0)
        """, LOAD="""
            m = keras.models.load_model(work + "/m.keras")
            obj = m.layers[-1]
            y = m.predict(x, verbose=0)
        """),
    case("KS401", "c3 build extras + only build_from_config (no get_build_config), built by hand", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, input_shape, units=4):
                self.w = self.add_weight(shape=(input_shape[-1], units))
            def call(self, x):
                return x @ self.w
            def build_from_config(self, config):
                self.build(config["input_shape"], 2)
        """, kind="custom", SAVE="""
            obj = B()
            obj.build((None, 4), units=2)
            inp = keras.Input(SHAPE)
            model = keras.Model(inp, obj(inp))
            y = model.predict(x, verbose=0)
        """, LOAD="""
            m = keras.models.load_model(work + "/m.keras")
            obj = m.layers[-1]
            y = m.predict(x, verbose=0)
        """),
    case("KS401", "d1 build(self, input_shape, mask_shape=None) with call(self, x, mask=None)", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, input_shape, mask_shape=None):
                self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
            def call(self, x, mask=None):
                return x * self.w
        """, "B()"),
    case("KS401", "d2 build(self, x_shape, mask_shape=None) with call(self, x, mask=None)", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, x_shape, mask_shape=None):
                self.w = self.add_weight(shape=(x_shape[-1],), initializer="ones")
            def call(self, x, mask=None):
                return x * self.w
        """, "B()"),
    case("KS401", "d3 build(self, inputs_shape, mask_shape=None) with call(self, inputs, mask=None)", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, inputs_shape, mask_shape=None):
                self.w = self.add_weight(shape=(inputs_shape[-1],), initializer="ones")
            def call(self, inputs, mask=None):
                return inputs * self.w
        """, "B()"),
    case("KS401", "e build(self, input_shape, **kwargs)", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, input_shape, **kwargs):
                self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
            def call(self, x):
                return x * self.w
        """, "B()"),
    case("KS401", "f build(self, input_shape, *, units=4) keyword-only extra", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, input_shape, *, units=4):
                self.w = self.add_weight(shape=(input_shape[-1], units))
            def call(self, x):
                return x @ self.w
        """, "B()"),
    case("KS401", "g build(self, shape) single param not named input_shape", """
        @R(package="facts")
        class B(keras.layers.Layer):
            def build(self, shape):
                self.w = self.add_weight(shape=(shape[-1],), initializer="ones")
            def call(self, x):
                return x * self.w
        """, "B()"),

    # ---------------------------------------------------------------- next rules (issue 4)
    case("next", "Dense subclass adds scale=3.0 (default 1.0), no get_config override", """
        @R(package="facts")
        class SDense(keras.layers.Dense):
            def __init__(self, units, scale=1.0, **kwargs):
                super().__init__(units, **kwargs)
                self.scale = scale
            def call(self, x):
                return super().call(x) * self.scale
        """, "SDense(2, scale=3.0)", PROBE="obj.scale"),
    case("next", "Dense subclass adds a required param, no get_config override", """
        @R(package="facts")
        class SDense(keras.layers.Dense):
            def __init__(self, units, scale, **kwargs):
                super().__init__(units, **kwargs)
                self.scale = scale
            def call(self, x):
                return super().call(x) * self.scale
        """, "SDense(2, 3.0)"),
    case("next", "get_config key renamed ('hidden': self.h for param h)", """
        @R(package="facts")
        class Ren(keras.layers.Layer):
            def __init__(self, h=1.0, **kwargs):
                super().__init__(**kwargs)
                self.h = h
            def call(self, x):
                return x * self.h
            def get_config(self):
                return {**super().get_config(), "hidden": self.h}
        """, "Ren(2.0)"),
    case("next", "super().__init__(name) positional", """
        @R(package="facts")
        class PosName(keras.layers.Layer):
            def __init__(self, name=None):
                super().__init__(name)
            def call(self, x):
                return x * 2.0
        """, "PosName('pn')"),
    case("next", "get_config returns a set value", """
        @R(package="facts")
        class S(keras.layers.Layer):
            def __init__(self, keys=None, **kwargs):
                super().__init__(**kwargs)
                self.keys_ = set(keys or [])
            def call(self, x):
                return x * float(len(self.keys_))
            def get_config(self):
                return {**super().get_config(), "keys": self.keys_}
        """, "S(['a', 'b'])", PROBE="sorted(obj.keys_)"),
    case("next", "get_config returns a lambda value", """
        @R(package="facts")
        class L(keras.layers.Layer):
            def __init__(self, fn=None, **kwargs):
                super().__init__(**kwargs)
                self.fn = fn
            def call(self, x):
                return self.fn(x)
            def get_config(self):
                return {**super().get_config(), "fn": self.fn}
        def make():
            return L(lambda t: t * 2.0)
        """, "make()", MODULE=True),
    case("next", "get_config returns a keras.ops.ones tensor", """
        @R(package="facts")
        class T(keras.layers.Layer):
            def __init__(self, n=4, **kwargs):
                super().__init__(**kwargs)
                self.n = n
                self.t = keras.ops.ones((n,))
            def call(self, x):
                return x + self.t
            def get_config(self):
                return {**super().get_config(), "n": self.n, "t": self.t}
        """, "T(4)"),
    case("next", "get_config returns a keras.Variable", """
        @R(package="facts")
        class V(keras.layers.Layer):
            def __init__(self, n=4, **kwargs):
                super().__init__(**kwargs)
                self.n = n
                self.v = keras.Variable(np.ones((n,), "float32"), trainable=False)
            def call(self, x):
                return x + self.v
            def get_config(self):
                return {**super().get_config(), "n": self.n, "v": self.v}
        """, "V(4)"),
    case("next", "get_config with a missing return", """
        @R(package="facts")
        class N(keras.layers.Layer):
            def __init__(self, f=1.0, **kwargs):
                super().__init__(**kwargs)
                self.f = f
            def call(self, x):
                return x * self.f
            def get_config(self):
                config = super().get_config()
                config.update({"f": self.f})
        """, "N(2.0)"),
    case("next", "Regularizer subclass get_config calls super().get_config()", """
        @R(package="facts")
        class L1ish(keras.regularizers.Regularizer):
            def __init__(self, rate=0.01):
                self.rate = rate
            def __call__(self, w):
                return self.rate * keras.ops.sum(keras.ops.abs(w))
            def get_config(self):
                return {**super().get_config(), "rate": self.rate}
        """, "L1ish(0.5)", kind="object", PROBE="obj.rate"),
    case("next", "from_config defined without @classmethod", """
        @R(package="facts")
        class F(keras.layers.Layer):
            def __init__(self, f=1.0, **kwargs):
                super().__init__(**kwargs)
                self.f = f
            def call(self, x):
                return x * self.f
            def get_config(self):
                return {**super().get_config(), "f": self.f}
            def from_config(cls, config):
                return cls(**config)
        """, "F(2.0)"),
    case("next", "get_build_config (custom keys) without build_from_config", """
        @R(package="facts")
        class G(keras.layers.Layer):
            def build(self, input_shape):
                self.d = int(input_shape[-1])
                self.w = self.add_weight(shape=(self.d,), initializer="random_normal")
            def call(self, x):
                return x * self.w
            def get_build_config(self):
                return {"dim": self.d}
        """, "G()"),
    case("next", "get_build_config (keeps input_shape) without build_from_config", """
        @R(package="facts")
        class G(keras.layers.Layer):
            def build(self, input_shape):
                self.d = int(input_shape[-1])
                self.w = self.add_weight(shape=(self.d,), initializer="random_normal")
            def call(self, x):
                return x * self.w
            def get_build_config(self):
                return {"input_shape": [None, self.d], "note": 1}
        """, "G()"),
    case("next", "load_own_variables without save_own_variables", """
        @R(package="facts")
        class LV(keras.layers.Layer):
            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1],), initializer="random_normal")
            def call(self, x):
                return x * self.w
            def load_own_variables(self, store):
                self.w.assign(store["0"])
                self.extra = np.asarray(store["extra"])
        """, "LV()"),
    case("next", "save_assets without load_assets", """
        @R(package="facts")
        class SA(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.vocab = ["a"]
            def call(self, x):
                return x * float(len(self.vocab))
            def save_assets(self, dir_path):
                open(os.path.join(dir_path, "vocab.txt"), "w").write("\\n".join(self.vocab))
        """, kind="custom", SAVE="""
            obj = SA()
            obj.vocab = ["a", "b", "c"]
            inp = keras.Input(SHAPE)
            model = keras.Model(inp, obj(inp))
            y = model.predict(x, verbose=0)
        """, LOAD="""
            m = keras.models.load_model(work + "/m.keras")
            obj = m.layers[-1]
            y = m.predict(x, verbose=0)
        """, PROBE="obj.vocab"),
    case("next", "get_compile_config (custom) without compile_from_config", """
        @R(package="facts")
        class CM(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.d = keras.layers.Dense(1, kernel_initializer="ones")
            def call(self, x):
                return self.d(x)
            def compile(self, boost=1.0, **kwargs):
                self.boost = boost
                super().compile(**kwargs)
            def get_compile_config(self):
                return {"boost": self.boost, "optimizer": "sgd", "loss": "mse"}
        """, kind="custom", SAVE="""
            obj = model = CM()
            model.compile(boost=3.0, optimizer="sgd", loss="mse")
            y = model.evaluate(x, yt, verbose=0, return_dict=True)
        """, LOAD="""
            obj = m = keras.models.load_model(work + "/m.keras")
            y = m.evaluate(x, yt, verbose=0, return_dict=True)
        """, PROBE="[obj.compiled, getattr(obj, 'boost', None)]"),
    case("next", "get_compile_config adds a key, compile() not overridden, no compile_from_config", """
        @R(package="facts")
        class CM2(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.d = keras.layers.Dense(1, kernel_initializer="ones")
            def call(self, x):
                return self.d(x)
            def get_compile_config(self):
                return {**super().get_compile_config(), "boost": 3.0}
        """, kind="custom", SAVE="""
            obj = model = CM2()
            model.compile(optimizer="sgd", loss="mse")
            y = model.evaluate(x, yt, verbose=0, return_dict=True)
        """, LOAD="""
            obj = m = keras.models.load_model(work + "/m.keras")
            y = m.evaluate(x, yt, verbose=0, return_dict=True)
        """, PROBE="obj.compiled"),
    case("next", "model.save('m.keras', save_format='keras')", "", kind="custom", SAVE="""
            obj = model = keras.Sequential([keras.Input(SHAPE), keras.layers.Dense(1)])
            y = None
            model.save(work + "/m.keras", save_format="keras")
        """, LOAD="""
            obj = keras.models.load_model(work + "/m.keras")
        """),
    case("next", "model.save('m', save_format='tf') (no .keras extension)", "", kind="custom", SAVE="""
            obj = model = keras.Sequential([keras.Input(SHAPE), keras.layers.Dense(1)])
            y = None
            model.save(work + "/m", save_format="tf")
        """, LOAD="""
            obj = keras.models.load_model(work + "/m")
        """),
    # lambdas must live in a real file: serializing one reads its source with inspect
    case("next", "keras.activations.get(lambda) as a Dense activation", """
        def make():
            return keras.layers.Dense(2, activation=keras.activations.get(lambda t: t * 2.0))
        """, "make()", MODULE=True),
    case("next", "keras.activations.get(lambda) as a Dense activation, load with safe_mode=False", """
        def make():
            return keras.layers.Dense(2, activation=keras.activations.get(lambda t: t * 2.0))
        """, "make()", MODULE=True, LOAD_KW="safe_mode=False"),
]


def source_for(c, defs_inline):
    body = CHILD
    subs = {
        "__KIND__": repr(c["kind"]),
        "__SHAPE__": repr(tuple(c.get("SHAPE", (4,)))),
        "__PROBE__": repr(c.get("PROBE")),
        "__LOAD_KW__": repr(c.get("LOAD_KW")),
        "__CTX__": repr(c.get("CTX")),
        "__MAKE__": c["make"],
        "__COMPILE__": c.get("COMPILE", ""),
        "__SAVE__": textwrap.indent(textwrap.dedent(c.get("SAVE", "")), " " * 12) or "",
        "__LOAD__": textwrap.indent(textwrap.dedent(c.get("LOAD", "")), " " * 16) or "",
    }
    for k, v in subs.items():
        body = body.replace(k, v)
    return PRELUDE + defs_inline + body


def child(source, phase, work):
    env = dict(os.environ)
    env.setdefault("KERAS_BACKEND", "jax")
    env["PYTHONPATH"] = work + os.pathsep + env.get("PYTHONPATH", "")
    try:
        proc = subprocess.run([sys.executable, "-c", source, phase, work], capture_output=True,
                              text=True, timeout=300, env=env, cwd=work)
    except subprocess.TimeoutExpired:
        return {"error": ["timeout"]}
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"error": ["child died: " + " ".join(proc.stderr.split())[-400:]]}


def verdict(saved, loaded):
    if not saved.get("saved"):
        return "SAVE FAILS", saved.get("error", ["?"])
    if not loaded.get("loaded"):
        return "LOAD FAILS", loaded.get("error", ["?"])
    diffs = []
    if saved.get("y") != loaded.get("y"):
        diffs.append(f"outputs {str(saved.get('y'))[:80]} -> {str(loaded.get('y'))[:80]}")
    if saved.get("probe") != loaded.get("probe"):
        diffs.append(f"probe {saved.get('probe')!r} -> {loaded.get('probe')!r}")
    c1, c2 = saved.get("config"), loaded.get("config")
    if isinstance(c1, dict) and isinstance(c2, dict):
        keys = sorted(k for k in set(c1) | set(c2) if c1.get(k) != c2.get(k))
        if keys:
            diffs.append("config keys differ: " + ", ".join(
                f"{k}: {str(c1.get(k, '<absent>'))[:60]} -> {str(c2.get(k, '<absent>'))[:60]}" for k in keys))
    elif c1 != c2:
        diffs.append(f"config {str(c1)[:100]} -> {str(c2)[:100]}")
    if diffs:
        return "SILENT DIFF", diffs
    return "round-trips", []


def run(c):
    with tempfile.TemporaryDirectory() as work:
        if c.get("MODULE"):
            with open(os.path.join(work, "factdefs.py"), "w") as f:
                f.write(PRELUDE + c["defs"])
            inline = "\nfrom factdefs import *\n"
        else:
            inline = c["defs"]
        src = source_for(c, inline)
        saved = child(src, "save", work)
        loaded = child(src, "load", work) if saved.get("saved") else {}
    v, detail = verdict(saved, loaded)
    return dict(rule=c["rule"], name=c["name"], verdict=v, detail=detail,
                save_warnings=saved.get("warnings", []), load_warnings=loaded.get("warnings", []))


def main(argv):
    picked = [c for c in CASES if not argv or any(a in c["rule"] + " " + c["name"] for a in argv)]
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(os.environ.get("JOBS", "2"))) as pool:
        for r in pool.map(run, picked):
            results.append(r)
            print(f"[{r['rule']}] {r['name']}\n    {r['verdict']}", flush=True)
            for d in r["detail"]:
                print("      " + d, flush=True)
            for w in r["load_warnings"][:3]:
                print("      load warning: " + w, flush=True)
    out = os.path.join(HERE, "keras_facts_extra.json")
    if argv and os.path.exists(out):  # a partial re-run updates those cases in the saved results
        with open(out) as f:
            old = {(r["rule"], r["name"]): r for r in json.load(f)}
        old.update({(r["rule"], r["name"]): r for r in results})
        order = {(c["rule"], c["name"]): i for i, c in enumerate(CASES)}
        results = sorted((r for k, r in old.items() if k in order), key=lambda r: order[(r["rule"], r["name"])])
    with open(out, "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
