"""Measure the premises of the config rules KS102-KS106 against a real save and reload.

usage:  python docs/measurements/issue4_config_rules.py [substring ...]
        (keras>=3 and jax installed; KERAS_BACKEND defaults to jax; substrings select cases)

Method (as in ../../shared/keras_facts.py): each case is saved in one child process and
reloaded in a *fresh* child that only re-runs the definitions, the way a serving job loads a
model. Two kinds of round trip:

  layer   MAKE is a layer; it goes into a functional model on keras.Input((4,)), is predicted on,
          saved with model.save(.keras) and reloaded with keras.models.load_model.
  object  MAKE is a loss/initializer/regularizer/schedule/...; serialize_keras_object -> JSON
          file -> deserialize_keras_object in the fresh process.

PROBE (optional) is an expression over `obj` compared before and after. A case is SILENT DIFF
when it loads but outputs, get_config(), name/trainable/dtype or the probe differ.
Results are written next to this script as issue4_config_rules.json.
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
import os, sys, json
os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np
import keras
R = keras.saving.register_keras_serializable
"""

CHILD = r'''
phase, work = sys.argv[1], sys.argv[2]
KIND, PROBE = __KIND__, __PROBE__
x = np.random.RandomState(0).rand(2, 4).astype("float32")

def chain(e):
    out, seen = [], set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        out.append(type(e).__name__ + ": " + " ".join(str(e).split())[:240])
        e = e.__cause__ or e.__context__
    return out

def plain(v):
    return json.loads(json.dumps(v, default=lambda o: type(o).__name__))

def facts(obj, y):
    out = {"y": None if y is None else np.asarray(y).round(5).tolist()}
    try:
        out["config"] = plain(obj.get_config())
    except Exception as e:
        out["config"] = "raised " + chain(e)[-1]
    if hasattr(obj, "trainable") and hasattr(obj, "dtype_policy"):
        out["attrs"] = {"name": obj.name, "trainable": obj.trainable, "dtype": obj.dtype_policy.name}
    if PROBE:
        try:
            out["probe"] = plain(eval(PROBE))
        except Exception as e:
            out["probe"] = "raised " + chain(e)[-1]
    return out

out = {}
try:
    if phase == "save":
        obj = __MAKE__
        if KIND == "layer":
            inp = keras.Input((4,))
            model = keras.Model(inp, obj(inp))
            y = model.predict(x, verbose=0)
            out.update(facts(obj, y))
            model.save(work + "/m.keras")
        else:
            out.update(facts(obj, None))
            with open(work + "/obj.json", "w") as fh:
                json.dump(keras.saving.serialize_keras_object(obj), fh)
        out["saved"] = True
    else:
        if KIND == "layer":
            model = keras.models.load_model(work + "/m.keras")
            obj = model.layers[-1]
            out.update(facts(obj, model.predict(x, verbose=0)))
        else:
            with open(work + "/obj.json") as fh:
                obj = keras.saving.deserialize_keras_object(json.load(fh))
            out.update(facts(obj, None))
        out["loaded"] = True
except Exception as e:
    out["error"] = chain(e)
print("RESULT " + json.dumps(out))
'''


def case(rule, name, defs, make, kind="layer", probe=None):
    return dict(rule=rule, name=name, defs=textwrap.dedent(defs), make=make, kind=kind,
                probe=probe)


CASES = [
    # ------------------------------------------------------------- KS102 omitted / renamed key
    case("KS102", "omits an argument that has a default", """
        @R(package="m")
        class Shift(keras.layers.Layer):
            def __init__(self, a=1.0, b=0.0, **kwargs):
                super().__init__(**kwargs)
                self.a, self.b = a, b
            def call(self, x):
                return x * self.a + self.b
            def get_config(self):
                return {**super().get_config(), "a": self.a}
        """, "Shift(2.0, 5.0)"),
    case("KS102", "omits a required argument", """
        @R(package="m")
        class Shift(keras.layers.Layer):
            def __init__(self, a, b, **kwargs):
                super().__init__(**kwargs)
                self.a, self.b = a, b
            def call(self, x):
                return x * self.a + self.b
            def get_config(self):
                return {**super().get_config(), "a": self.a}
        """, "Shift(2.0, 5.0)"),
    case("KS102", "emits self.h as 'hidden' (no such parameter, **kwargs)", """
        @R(package="m")
        class Proj(keras.layers.Layer):
            def __init__(self, h=4, **kwargs):
                super().__init__(**kwargs)
                self.h = h
                self.d = keras.layers.Dense(h)
            def call(self, x):
                return self.d(x)
            def get_config(self):
                return {**super().get_config(), "hidden": self.h}
        """, "Proj(8)"),
    case("KS102", "Dense subclass adds scale=3.0, keeps Dense.get_config", """
        @R(package="m")
        class Scaled(keras.layers.Dense):
            def __init__(self, units, scale=1.0, **kwargs):
                super().__init__(units, **kwargs)
                self.scale = scale
            def call(self, x):
                return super().call(x) * self.scale
        """, "Scaled(2, scale=3.0, kernel_initializer='ones')"),
    case("KS102", "Dense subclass adds a required scale, keeps Dense.get_config", """
        @R(package="m")
        class Scaled(keras.layers.Dense):
            def __init__(self, units, scale, **kwargs):
                super().__init__(units, **kwargs)
                self.scale = scale
            def call(self, x):
                return super().call(x) * self.scale
        """, "Scaled(2, 3.0, kernel_initializer='ones')"),
    case("KS102", "Dense subclass renames units to n (passes units=n)", """
        @R(package="m")
        class Narrow(keras.layers.Dense):
            def __init__(self, n=2, **kwargs):
                super().__init__(units=n, **kwargs)
        """, "Narrow(3, kernel_initializer='ones')"),
    case("KS102", "vocabulary left out of get_config, restored by save_assets/load_assets", """
        @R(package="m")
        class Lookup(keras.layers.Layer):
            def __init__(self, vocabulary=None, **kwargs):
                super().__init__(**kwargs)
                self.vocabulary = list(vocabulary or [])
            def call(self, x):
                return x + float(len(self.vocabulary))
            def get_config(self):
                return super().get_config()
            def save_assets(self, dir_path):
                with open(os.path.join(dir_path, "vocab.txt"), "w") as fh:
                    fh.write("\\n".join(self.vocabulary))
            def load_assets(self, dir_path):
                with open(os.path.join(dir_path, "vocab.txt")) as fh:
                    self.vocabulary = fh.read().split("\\n")
        """, "Lookup(['a', 'b', 'c'])", probe="obj.vocabulary"),
    case("KS102", "emits 'hidden', custom from_config maps it back to h", """
        @R(package="m")
        class Proj(keras.layers.Layer):
            def __init__(self, h=4, **kwargs):
                super().__init__(**kwargs)
                self.h = h
                self.d = keras.layers.Dense(h)
            def call(self, x):
                return self.d(x)
            def get_config(self):
                return {**super().get_config(), "hidden": self.h}
            @classmethod
            def from_config(cls, config):
                config = dict(config)
                return cls(h=config.pop("hidden"), **config)
        """, "Proj(8)"),
    case("KS102", "Loss subclass get_config merges super but omits factor", """
        @R(package="m")
        class Scaled(keras.losses.Loss):
            def __init__(self, factor=1.0, name="scaled", **kwargs):
                super().__init__(name=name, **kwargs)
                self.factor = factor
            def call(self, y_true, y_pred):
                return self.factor * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
            def get_config(self):
                return super().get_config()
        """, "Scaled(3.0)", kind="object", probe="obj.factor"),
    # ------------------------------------------------------------------ KS103 no super merge
    case("KS103", "no super(), built with name/trainable=False/dtype=float64", """
        @R(package="m")
        class Bare(keras.layers.Layer):
            def __init__(self, a=1.0, **kwargs):
                super().__init__(**kwargs)
                self.a = a
            def call(self, x):
                return x * self.a
            def get_config(self):
                return {"a": self.a}
        """, "Bare(2.0, name='mine', trainable=False, dtype='float64')"),
    case("KS103", "no super(), built with defaults only", """
        @R(package="m")
        class Bare(keras.layers.Layer):
            def __init__(self, a=1.0, **kwargs):
                super().__init__(**kwargs)
                self.a = a
            def call(self, x):
                return x * self.a
            def get_config(self):
                return {"a": self.a}
        """, "Bare(2.0)"),
    case("KS103", "no super(), but name/trainable/dtype written by hand", """
        @R(package="m")
        class Bare(keras.layers.Layer):
            def __init__(self, a=1.0, **kwargs):
                super().__init__(**kwargs)
                self.a = a
            def call(self, x):
                return x * self.a
            def get_config(self):
                return {"a": self.a, "name": self.name, "trainable": self.trainable,
                        "dtype": keras.dtype_policies.serialize(self.dtype_policy)}
        """, "Bare(2.0, name='mine', trainable=False, dtype='float64')"),
    case("KS103", "Loss subclass, get_config without super(), name/reduction set", """
        @R(package="m")
        class Scaled(keras.losses.Loss):
            def __init__(self, factor=1.0, name="scaled", **kwargs):
                super().__init__(name=name, **kwargs)
                self.factor = factor
            def call(self, y_true, y_pred):
                return self.factor * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
            def get_config(self):
                return {"factor": self.factor}
        """, "Scaled(3.0, name='mine', reduction='sum')", kind="object",
         probe="[obj.name, obj.reduction]"),
    case("KS103", "Initializer subclass, get_config without super()", """
        @R(package="m")
        class Fill(keras.initializers.Initializer):
            def __init__(self, value=1.0):
                self.value = value
            def __call__(self, shape, dtype=None):
                return keras.ops.full(shape, self.value, dtype=dtype)
            def get_config(self):
                return {"value": self.value}
        """, "Fill(3.0)", kind="object", probe="obj.value"),
    case("KS103", "Dense subclass, get_config without super()", """
        @R(package="m")
        class Scaled(keras.layers.Dense):
            def __init__(self, units, scale=1.0, **kwargs):
                super().__init__(units, **kwargs)
                self.scale = scale
            def call(self, x):
                return super().call(x) * self.scale
            def get_config(self):
                return {"units": self.units, "scale": self.scale}
        """, "Scaled(2, scale=3.0, activation='relu', kernel_initializer='ones')"),
    # ------------------------------------------------------------ KS104 no **kwargs in __init__
    case("KS104", "no **kwargs, get_config merges super()", """
        @R(package="m")
        class Strict(keras.layers.Layer):
            def __init__(self, a):
                super().__init__()
                self.a = a
            def call(self, x):
                return x * self.a
            def get_config(self):
                return {**super().get_config(), "a": self.a}
        """, "Strict(2.0)"),
    case("KS104", "no **kwargs, get_config without super()", """
        @R(package="m")
        class Strict(keras.layers.Layer):
            def __init__(self, a):
                super().__init__()
                self.a = a
            def call(self, x):
                return x * self.a
            def get_config(self):
                return {"a": self.a}
        """, "Strict(2.0)"),
    case("KS104", "no **kwargs, no get_config (auto-config)", """
        @R(package="m")
        class Strict(keras.layers.Layer):
            def __init__(self, a):
                super().__init__()
                self.a = a
            def call(self, x):
                return x * self.a
        """, "Strict(2.0)"),
    case("KS104", "name parameter but no **kwargs, get_config merges super()", """
        @R(package="m")
        class Named(keras.layers.Layer):
            def __init__(self, a, name=None):
                super().__init__(name=name)
                self.a = a
            def call(self, x):
                return x * self.a
            def get_config(self):
                return {**super().get_config(), "a": self.a}
        """, "Named(2.0)"),
    case("KS104", "name/trainable/dtype parameters, no **kwargs, merges super()", """
        @R(package="m")
        class Named(keras.layers.Layer):
            def __init__(self, a, name=None, trainable=True, dtype=None):
                super().__init__(name=name, trainable=trainable, dtype=dtype)
                self.a = a
            def call(self, x):
                return x * self.a
            def get_config(self):
                return {**super().get_config(), "a": self.a}
        """, "Named(2.0)"),
    case("KS104", "positional super().__init__(name)", """
        @R(package="m")
        class Pos(keras.layers.Layer):
            def __init__(self, a=1.0, name=None, **kwargs):
                super().__init__(name, **kwargs)
                self.a = a
            def call(self, x):
                return x * self.a
        """, "Pos(2.0, 'pos')"),
    case("KS104", "Loss without **kwargs, get_config merges super()", """
        @R(package="m")
        class Scaled(keras.losses.Loss):
            def __init__(self, factor=1.0):
                super().__init__(name="scaled")
                self.factor = factor
            def call(self, y_true, y_pred):
                return self.factor * keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)
            def get_config(self):
                return {**super().get_config(), "factor": self.factor}
        """, "Scaled(3.0)", kind="object", probe="obj.factor"),
    case("KS104", "Initializer without **kwargs, get_config merges super()", """
        @R(package="m")
        class Fill(keras.initializers.Initializer):
            def __init__(self, value=1.0):
                self.value = value
            def __call__(self, shape, dtype=None):
                return keras.ops.full(shape, self.value, dtype=dtype)
            def get_config(self):
                return {**super().get_config(), "value": self.value}
        """, "Fill(3.0)", kind="object", probe="obj.value"),
    case("KS104", "Model subclass without **kwargs, no get_config (auto-config)", """
        @R(package="m")
        class Net(keras.Model):
            def __init__(self, units=2):
                super().__init__()
                self.units = units
                self.dense = keras.layers.Dense(units)
            def call(self, x):
                return self.dense(x)
        """, "Net(2)"),
    case("KS104", "Dense subclass without **kwargs (Dense.get_config)", """
        @R(package="m")
        class Fixed(keras.layers.Dense):
            def __init__(self, units):
                super().__init__(units)
        """, "Fixed(2)"),
    # --------------------------------------------------------------- KS105 unserializable value
    case("KS105", "numpy array value", """
        @R(package="m")
        class Table(keras.layers.Layer):
            def __init__(self, table=None, **kwargs):
                super().__init__(**kwargs)
                self.table = np.asarray(table if table is not None else np.zeros(4), "float32")
            def call(self, x):
                return x + self.table
            def get_config(self):
                return {**super().get_config(), "table": self.table}
        """, "Table(np.arange(4))"),
    case("KS105", "numpy array value, .tolist()", """
        @R(package="m")
        class Table(keras.layers.Layer):
            def __init__(self, table=None, **kwargs):
                super().__init__(**kwargs)
                self.table = np.asarray(table if table is not None else np.zeros(4), "float32")
            def call(self, x):
                return x + self.table
            def get_config(self):
                return {**super().get_config(), "table": self.table.tolist()}
        """, "Table(np.arange(4))"),
    case("KS105", "numpy scalar value (np.float32)", """
        @R(package="m")
        class Sc(keras.layers.Layer):
            def __init__(self, a=1.0, **kwargs):
                super().__init__(**kwargs)
                self.a = np.float32(a)
            def call(self, x):
                return x * self.a
            def get_config(self):
                return {**super().get_config(), "a": self.a}
        """, "Sc(2.0)"),
    case("KS105", "set value", """
        @R(package="m")
        class Pick(keras.layers.Layer):
            def __init__(self, keep=(0,), **kwargs):
                super().__init__(**kwargs)
                self.keep = set(keep)
            def call(self, x):
                return keras.ops.take(x, sorted(self.keep), axis=-1)
            def get_config(self):
                return {**super().get_config(), "keep": self.keep}
        """, "Pick((1, 3))", probe="sorted(obj.keep)"),
    case("KS105", "lambda value", """
        @R(package="m")
        class Act(keras.layers.Layer):
            def __init__(self, fn=None, **kwargs):
                super().__init__(**kwargs)
                self.fn = fn or (lambda t: t)
            def call(self, x):
                return self.fn(x)
            def get_config(self):
                return {**super().get_config(), "fn": lambda t: t * 2.0}
        """, "Act()"),
    case("KS105", "keras tensor value (keras.ops.ones)", """
        @R(package="m")
        class Bias(keras.layers.Layer):
            def __init__(self, b=None, **kwargs):
                super().__init__(**kwargs)
                self.b = keras.ops.ones((4,)) if b is None else keras.ops.convert_to_tensor(b)
            def call(self, x):
                return x + self.b
            def get_config(self):
                return {**super().get_config(), "b": self.b}
        """, "Bias()"),
    case("KS105", "keras variable value (self.w)", """
        @R(package="m")
        class Gain(keras.layers.Layer):
            def __init__(self, w=None, **kwargs):
                super().__init__(**kwargs)
            def build(self, shape):
                self.w = self.add_weight(shape=(4,), initializer="ones")
            def call(self, x):
                return x * self.w
            def get_config(self):
                return {**super().get_config(), "w": self.w}
        """, "Gain()"),
    case("KS105", "open file handle value", """
        @R(package="m")
        class Log(keras.layers.Layer):
            def __init__(self, path=None, **kwargs):
                super().__init__(**kwargs)
                self.target = path
                self.fh = open(os.devnull, "w")
            def call(self, x):
                return x
            def get_config(self):
                return {**super().get_config(), "path": self.fh}
        """, "Log()"),
    case("KS105", "tuple value (comes back as list)", """
        @R(package="m")
        class Pick(keras.layers.Layer):
            def __init__(self, keep=(0,), **kwargs):
                super().__init__(**kwargs)
                self.keep = tuple(keep)
            def call(self, x):
                return keras.ops.take(x, list(self.keep), axis=-1)
            def get_config(self):
                return {**super().get_config(), "keep": self.keep}
        """, "Pick((1, 3))", probe="type(obj.keep).__name__"),
    case("KS105", "numpy dtype class value (np.float32)", """
        @R(package="m")
        class Cast(keras.layers.Layer):
            def __init__(self, to=np.float32, **kwargs):
                super().__init__(**kwargs)
                self.to = to
            def call(self, x):
                return x
            def get_config(self):
                return {**super().get_config(), "to": self.to}
        """, "Cast()"),
    # ----------------------------------------------------------------- KS106 no dict returned
    case("KS106", "get_config without return", """
        @R(package="m")
        class NoRet(keras.layers.Layer):
            def __init__(self, a=1.0, **kwargs):
                super().__init__(**kwargs)
                self.a = a
            def call(self, x):
                return x * self.a
            def get_config(self):
                config = super().get_config()
                config["a"] = self.a
        """, "NoRet(2.0)"),
    case("KS106", "get_config returns only in an if branch (not taken)", """
        @R(package="m")
        class Half(keras.layers.Layer):
            def __init__(self, a=1.0, **kwargs):
                super().__init__(**kwargs)
                self.a = a
            def call(self, x):
                return x * self.a
            def get_config(self):
                config = super().get_config()
                if self.a != 2.0:
                    return {**config, "a": self.a}
        """, "Half(2.0)"),
    case("KS106", "Regularizer subclass calls super().get_config()", """
        @R(package="m")
        class L(keras.regularizers.Regularizer):
            def __init__(self, c=0.1):
                self.c = c
            def __call__(self, w):
                return self.c * keras.ops.sum(keras.ops.abs(w))
            def get_config(self):
                return {**super().get_config(), "c": self.c}
        """, "keras.layers.Dense(2, kernel_regularizer=L(0.5))"),
    case("KS106", "Regularizer subclass without get_config", """
        @R(package="m")
        class L(keras.regularizers.Regularizer):
            def __init__(self, c=0.1):
                self.c = c
            def __call__(self, w):
                return self.c * keras.ops.sum(keras.ops.abs(w))
        """, "keras.layers.Dense(2, kernel_regularizer=L(0.5))"),
    case("KS106", "LearningRateSchedule subclass calls super().get_config()", """
        @R(package="m")
        class Flat(keras.optimizers.schedules.LearningRateSchedule):
            def __init__(self, lr=0.1):
                self.lr = lr
            def __call__(self, step):
                return self.lr
            def get_config(self):
                config = super().get_config()
                config.update({"lr": self.lr})
                return config
        """, "Flat(0.5)", kind="object", probe="obj.lr"),
    case("KS106", "Constraint subclass calls super().get_config()", """
        @R(package="m")
        class Clip(keras.constraints.Constraint):
            def __init__(self, c=1.0):
                self.c = c
            def __call__(self, w):
                return keras.ops.clip(w, -self.c, self.c)
            def get_config(self):
                return {**super().get_config(), "c": self.c}
        """, "Clip(0.5)", kind="object", probe="obj.c"),
    case("KS106", "Initializer subclass calls super().get_config()", """
        @R(package="m")
        class Fill(keras.initializers.Initializer):
            def __init__(self, value=1.0):
                self.value = value
            def __call__(self, shape, dtype=None):
                return keras.ops.full(shape, self.value, dtype=dtype)
            def get_config(self):
                return {**super().get_config(), "value": self.value}
        """, "Fill(3.0)", kind="object", probe="obj.value"),
    case("KS106", "Metric subclass calls super().get_config()", """
        @R(package="m")
        class Count(keras.metrics.Metric):
            def __init__(self, t=0.5, name="count", **kwargs):
                super().__init__(name=name, **kwargs)
                self.t = t
                self.total = self.add_variable(shape=(), initializer="zeros", name="total")
            def update_state(self, y_true, y_pred, sample_weight=None):
                pass
            def result(self):
                return self.total
            def get_config(self):
                return {**super().get_config(), "t": self.t}
        """, "Count(0.9)", kind="object", probe="obj.t"),
]


def child(source, phase, work):
    env = dict(os.environ, KERAS_BACKEND=os.environ.get("KERAS_BACKEND", "jax"))
    proc = subprocess.run([sys.executable, "-c", source, phase, work], capture_output=True,
                          text=True, timeout=600, env=env)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    return {"error": ["child died: " + proc.stderr.strip()[-300:]]}


def verdict(saved, loaded):
    if not saved.get("saved"):
        return "save-fails", saved["error"][-1]
    if not loaded.get("loaded"):
        return "load-fails", loaded["error"][-1]
    diffs = [k for k in ("y", "config", "attrs", "probe") if saved.get(k) != loaded.get(k)]
    if diffs:
        detail = []
        for k in diffs:
            before, after = saved.get(k), loaded.get(k)
            if isinstance(before, dict) and isinstance(after, dict):
                changed = sorted(key for key in set(before) | set(after)
                                 if before.get(key) != after.get(key))
                detail.append(k + ": " + ", ".join(
                    f"{key} {before.get(key)!r} -> {after.get(key)!r}" for key in changed))
            else:
                detail.append(f"{k}: {before!r} -> {after!r}"[:200])
        return "silent-diff", "; ".join(detail)
    return "ok", ""


def run(spec):
    source = (PRELUDE + spec["defs"] + CHILD.replace("__MAKE__", spec["make"])
              .replace("__KIND__", repr(spec["kind"])).replace("__PROBE__", repr(spec["probe"])))
    with tempfile.TemporaryDirectory() as work:
        saved = child(source, "save", work)
        loaded = child(source, "load", work) if saved.get("saved") else {}
    outcome, detail = verdict(saved, loaded)
    return dict(rule=spec["rule"], name=spec["name"], outcome=outcome, detail=detail)


def main():
    wanted = sys.argv[1:]
    cases = [c for c in CASES if not wanted or any(w in c["rule"] + " " + c["name"]
                                                   for w in wanted)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(run, cases))
    for r in results:
        print(f"{r['rule']}  {r['name']:66} {r['outcome'].upper():12} {r['detail']}", flush=True)
    if not wanted:
        with open(os.path.join(HERE, "issue4_config_rules.json"), "w") as fh:
            json.dump(results, fh, indent=1)


if __name__ == "__main__":
    main()
