"""Measure the `# runtime:` outcome of every corpus file by really saving and reloading.

usage:  python docs/measurements/corpus_roundtrip.py [--check] [path ...]   (default: corpus/)

Same method as keras_facts_extra.py: the save runs in one child process, the reload in a fresh
child that only imports the corpus file (as a module, the way a serving job imports the code
that defines the classes). For every Keras class defined in the file (or only those named in
`# verify: A, B`), the harness builds an instance from its `# make: Name(...)` hint (default
`Name()`), then (`# load: restore(path)` replaces load_model by the file's own loader):
  Layer        wraps it in a functional model on keras.Input((4,)), predicts, model.save(.keras),
               load_model, predicts again;
  Model        predicts, model.save, load_model, predicts;
  Loss/Metric  compiles a tiny Dense model with it (loss= / metrics=[...]), evaluates, saves,
               load_model (compile=True), evaluates again;
  LR schedule  compiles with SGD(learning_rate=it), saves, load_model;
  other        (initializers, regularizers, constraints) serialize_keras_object -> JSON ->
               deserialize_keras_object in the fresh process, compares get_config and a call.
Public attributes of basic types are compared too. Outcome per class:
  save-fails (anything before the file is written: construct, build, call, save)
  load-fails | silent-diff (outputs/config/attributes differ) | ok
A file's outcome is the outcome shared by its verified classes ("mixed" otherwise); a file with
no Keras class is "ok" when it imports. `# runtime: static-only` files are skipped.
With --check, exits 1 when a measured outcome differs from the file's `# runtime:` line.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CHILD = r'''
import os, sys, json, importlib, warnings, inspect
os.environ.setdefault("KERAS_BACKEND", "jax")
warnings.simplefilter("ignore")
import numpy as np
import keras
phase, work, modname, spec = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
mod = importlib.import_module(modname)
rng = np.random.RandomState(0)
x = rng.rand(2, 4).astype("float32")
yt = rng.rand(2, 1).astype("float32")

def chain(e):
    out = []
    while e is not None and len(out) < 6:
        out.append(type(e).__name__ + ": " + " ".join(str(e).split())[:200])
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
    return "<" + type(v).__name__ + ">"

BASIC = (int, float, str, bool, type(None))
def attrs(o):
    out = {}
    for k, v in vars(o).items():
        if k.startswith("_") or k == "name":
            continue
        flat = v if isinstance(v, (list, tuple)) else [v]
        if all(isinstance(i, BASIC) for i in flat):
            out[k] = norm(v)
    return out

def config(o):
    try:
        return json.loads(json.dumps(o.get_config(), default=lambda z: "<" + type(z).__name__ + ">"))
    except Exception as e:
        return "get_config raised " + chain(e)[-1]

def kind(cls):
    if issubclass(cls, keras.Model):
        return "model"
    if issubclass(cls, keras.metrics.Metric):
        return "metric"
    if issubclass(cls, keras.layers.Layer):
        return "layer"
    if issubclass(cls, keras.losses.Loss):
        return "loss"
    if issubclass(cls, keras.optimizers.schedules.LearningRateSchedule):
        return "schedule"
    return "object"

def tiny(compile_kw):
    m = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, kernel_initializer="ones")])
    m.compile(**compile_kw)
    return m

def probe_obj(o):
    for args in ((np.ones((2,), "float32"),), ((2,),)):
        try:
            return norm(o(*args))
        except Exception:
            pass
    return None

results = {}
for name in spec["classes"]:
    r = results[name] = {}
    path = os.path.join(work, name)
    os.makedirs(path, exist_ok=True)
    try:
        cls = getattr(mod, name)
        k = kind(cls)
        if phase == "save":
            r["stage"] = "construct"
            obj = eval(spec["make"].get(name, name + "()"), vars(mod))
            r["stage"] = "call"
            if k == "layer":
                inp = keras.Input((4,))
                model = keras.Model(inp, obj(inp))
                y = model.predict(x, verbose=0)
            elif k == "model":
                model = obj
                y = model.predict(x, verbose=0)
            elif k in ("loss", "metric", "schedule"):
                kw = {"loss": obj} if k == "loss" else {"loss": "mse"}
                if k == "metric":
                    kw["metrics"] = [obj]
                kw["optimizer"] = keras.optimizers.SGD(learning_rate=obj) if k == "schedule" else "sgd"
                model = tiny(kw)
                y = model.evaluate(x, yt, verbose=0, return_dict=True)
            else:
                model = None
                y = probe_obj(obj)
            r["stage"] = "save"
            r["y"], r["attrs"], r["config"] = norm(y), attrs(obj), config(obj)
            if model is not None:
                model.save(path + "/m.keras")
            else:
                with open(path + "/obj.json", "w") as f:
                    json.dump(keras.saving.serialize_keras_object(obj), f)
            r["ok"] = True
        else:
            if k in ("layer", "model", "loss", "metric", "schedule"):
                if spec.get("load"):
                    m = eval(spec["load"], dict(vars(mod), path=path + "/m.keras"))
                else:
                    m = keras.models.load_model(path + "/m.keras")
                if k == "layer":
                    obj, y = m.layers[-1], m.predict(x, verbose=0)
                elif k == "model":
                    obj, y = m, m.predict(x, verbose=0)
                else:
                    if not m.compiled:
                        raise RuntimeError("model reloaded uncompiled (compile config dropped)")
                    y = m.evaluate(x, yt, verbose=0, return_dict=True)
                    obj = m.loss if k == "loss" else None
                    if k == "metric":
                        obj = next((z for z in m.metrics if isinstance(z, cls)), None)
                        if obj is None:
                            for z in m.metrics:
                                for zz in getattr(z, "metrics", []):
                                    if isinstance(zz, cls):
                                        obj = zz
                    if k == "schedule":
                        obj = m.optimizer.learning_rate if not hasattr(m.optimizer, "_learning_rate") else m.optimizer._learning_rate
            else:
                with open(path + "/obj.json") as f:
                    obj = keras.saving.deserialize_keras_object(json.load(f))
                y = probe_obj(obj)
            r["y"] = norm(y)
            r["attrs"] = attrs(obj) if obj is not None and not isinstance(obj, (str, float, int)) else None
            r["config"] = config(obj) if hasattr(obj, "get_config") else None
            r["ok"] = True
    except Exception as e:
        r["error"] = chain(e)
print("RESULT " + json.dumps(results))
'''


def headers(path):
    h = {"runtime": None, "verify": None, "make": {}, "load": None}
    with open(path) as f:
        for line in f:
            m = re.match(r"#\s*runtime:\s*(\S+)", line)
            if m:
                h["runtime"] = m.group(1)
            m = re.match(r"#\s*verify:\s*(.+)", line)
            if m:
                h["verify"] = [s.strip() for s in m.group(1).split(",") if s.strip()]
            m = re.match(r"#\s*load:\s*(.+)", line)
            if m:
                h["load"] = m.group(1).strip()
            m = re.match(r"\s*#\s*make:\s*((\w+)\s*\(.*\))\s*$", line)
            if m:
                h["make"][m.group(2)] = m.group(1)
    return h


def module_of(path):
    """(sys.path entry, dotted module name) for a corpus file, honouring packages."""
    path = os.path.abspath(path)
    d, name = os.path.dirname(path), os.path.splitext(os.path.basename(path))[0]
    parts = [name]
    while os.path.exists(os.path.join(d, "__init__.py")):
        parts.insert(0, os.path.basename(d))
        d = os.path.dirname(d)
    return d, ".".join(parts)


LIST = r'''
import os, sys, json, importlib, inspect, warnings
os.environ.setdefault("KERAS_BACKEND", "jax")
warnings.simplefilter("ignore")
import keras
mod = importlib.import_module(sys.argv[1])
bases = (keras.layers.Layer, keras.losses.Loss, keras.metrics.Metric, keras.initializers.Initializer,
         keras.regularizers.Regularizer, keras.constraints.Constraint,
         keras.optimizers.schedules.LearningRateSchedule)
names = [n for n, c in vars(mod).items() if inspect.isclass(c) and c.__module__ == mod.__name__
         and issubclass(c, bases)]
print("RESULT " + json.dumps(names))
'''


def run_child(code, args, syspath, cwd):
    env = dict(os.environ)
    env.setdefault("KERAS_BACKEND", "jax")
    env["PYTHONPATH"] = syspath
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    try:
        p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                           timeout=600, env=env, cwd=cwd)
    except subprocess.TimeoutExpired:
        return None, "timeout"
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:]), None
    return None, " ".join(p.stderr.split())[-300:]


def compare(s, l):
    if not s.get("ok"):
        return "save-fails", s.get("error", []) + [f"(stage {s.get('stage')})"]
    if not l.get("ok"):
        return "load-fails", l.get("error", [])
    diffs = []
    for key in ("y", "attrs", "config"):
        a, b = s.get(key), l.get(key)
        if key == "attrs" and b is None:
            continue
        if key == "config" and (b is None or a is None):
            continue
        if isinstance(a, dict) and isinstance(b, dict):
            ks = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            if ks:
                diffs.append(key + ": " + ", ".join(f"{k} {str(a.get(k, '<absent>'))[:50]} -> "
                                                    f"{str(b.get(k, '<absent>'))[:50]}" for k in ks))
        elif a != b:
            diffs.append(f"{key}: {str(a)[:80]} -> {str(b)[:80]}")
    return ("silent-diff", diffs) if diffs else ("ok", [])


def measure(path):
    h = headers(path)
    if h["runtime"] == "static-only":
        return dict(path=path, expected="static-only", measured="static-only", detail={})
    syspath, modname = module_of(path)
    with tempfile.TemporaryDirectory() as work:
        names, err = run_child(LIST, [modname], syspath, work)
        if names is None:
            return dict(path=path, expected=h["runtime"], measured="import-fails", detail={"import": err})
        classes = h["verify"] or names
        if not classes:
            return dict(path=path, expected=h["runtime"], measured="ok", detail={})
        spec = json.dumps({"classes": classes, "make": h["make"], "load": h["load"]})
        saved, err = run_child(CHILD, ["save", work, modname, spec], syspath, work)
        if saved is None:
            return dict(path=path, expected=h["runtime"], measured="child-died", detail={"save": err})
        loaded, err = run_child(CHILD, ["load", work, modname, spec], syspath, work) \
            if any(r.get("ok") for r in saved.values()) else ({}, None)
        if loaded is None:
            return dict(path=path, expected=h["runtime"], measured="child-died", detail={"load": err})
    per = {n: compare(saved.get(n, {}), loaded.get(n, {})) for n in classes}
    outcomes = {v for v, _ in per.values()}
    measured = outcomes.pop() if len(outcomes) == 1 else "mixed"
    return dict(path=path, expected=h["runtime"], measured=measured, detail=per)


def main(argv):
    check = "--check" in argv
    argv = [a for a in argv if a != "--check"]
    targets = argv or [os.path.join(ROOT, "corpus")]
    files = []
    for t in targets:
        if os.path.isdir(t):
            for d, _, fs in os.walk(t):
                files += [os.path.join(d, f) for f in fs if f.endswith(".py") and f != "__init__.py"]
        else:
            files.append(t)
    files.sort()
    bad = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(os.environ.get("JOBS", "2"))) as pool:
        for r in pool.map(measure, files):
            mark = "  " if r["expected"] == r["measured"] else "!!"
            bad += mark == "!!"
            print(f"{mark} {os.path.relpath(r['path'], ROOT):55} header={r['expected']} measured={r['measured']}",
                  flush=True)
            for n, v in r["detail"].items():
                if isinstance(v, str):
                    print(f"       {n}: {v}")
                    continue
                print(f"       {n}: {v[0]}")
                for d in v[1][:4]:
                    print(f"           {d}")
    if check and bad:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
