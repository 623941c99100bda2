"""Regenerate src/kcheck/facts/keras_builtin_configs.py from the installed Keras.

usage:  KERAS_BACKEND=jax python docs/measurements/keras_builtin_configs.py
        (re-run after upgrading Keras; commit the regenerated module)

For every public class in keras.layers, keras.losses, keras.metrics, keras.initializers,
keras.regularizers, keras.constraints, keras.optimizers and keras.optimizers.schedules this
records
  * the ``__init__`` parameters (``self`` excluded) and whether it takes ``**kwargs``;
  * the keys its ``get_config()`` returns, read from a real instance built with small guessed
    arguments. A class that cannot be built with the guesses gets ``None``: kcheck then knows
    its parameters but not its config, and KS102 stays silent for its subclasses;
  * whether ``get_config()`` raises on a bare subclass (KS106: calling super().get_config() on
    such a base breaks saving).
Keys a built-in emits only in some configurations (Dense's ``lora_rank`` only when LoRA is on)
are not seen on a plain instance; KS102 therefore also treats the built-in's own parameters as
carried.
"""
import inspect
import itertools
import os
import pprint
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TARGET = os.path.join(HERE, "..", "..", "src", "kcheck", "facts", "keras_builtin_configs.py")

FAMILIES = {
    "keras.layers": keras.layers,
    "keras.losses": keras.losses,
    "keras.metrics": keras.metrics,
    "keras.initializers": keras.initializers,
    "keras.regularizers": keras.regularizers,
    "keras.constraints": keras.constraints,
    "keras.optimizers": keras.optimizers,
    "keras.optimizers.schedules": keras.optimizers.schedules,
}
# Abstract bases a user subclasses; KS106 needs to know whose get_config raises.
BASES = {
    "keras.layers.Layer": keras.layers.Layer,
    "keras.models.Model": keras.Model,
    "keras.losses.Loss": keras.losses.Loss,
    "keras.metrics.Metric": keras.metrics.Metric,
    "keras.initializers.Initializer": keras.initializers.Initializer,
    "keras.regularizers.Regularizer": keras.regularizers.Regularizer,
    "keras.constraints.Constraint": keras.constraints.Constraint,
    "keras.optimizers.schedules.LearningRateSchedule":
        keras.optimizers.schedules.LearningRateSchedule,
}


def guesses(name):
    """Candidate values for a required constructor parameter, most likely first."""
    by_name = {
        "layer": [keras.layers.LSTM(2), keras.layers.Dense(2)],
        "forward_layer": [keras.layers.LSTM(2)],
        "cell": [keras.layers.SimpleRNNCell(2)],
        "cells": [[keras.layers.SimpleRNNCell(2)]],
        "function": [lambda t: t],
        "layers": [[keras.layers.Dense(2)]],
        "target_shape": [(2,)],
        "dims": [(1,)],
        "axis": [-1],
        "initial_learning_rate": [0.1],
        "boundaries": [[1]],
        "values": [[0.1, 0.01]],
        "learning_rate": [0.1],
        "num_classes": [2],
        "thresholds": [0.5],
        "class_id": [0],
        "sparsity": [0.5],
        "specificity": [0.5],
        "sensitivity": [0.5],
        "recall": [0.5],
        "precision": [0.5],
        "inner_optimizer": [keras.optimizers.SGD()],
        "tokens": [2],
    }
    return by_name.get(name, []) + [2, 0.5, (2, 2), "relu", [2], None]


def build(cls):
    """An instance of *cls* built with guessed required arguments, or None."""
    params = [p.name for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
              if p.default is inspect.Parameter.empty
              and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    for attempt, values in enumerate(itertools.product(*(guesses(n) for n in params))):
        if attempt > 200:
            break
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return cls(**dict(zip(params, values)))
        except Exception:  # noqa: BLE001 - try the next combination of guesses
            continue
    return None


def describe(cls):
    sig = inspect.signature(cls.__init__)
    params = [p for p in list(sig.parameters.values())[1:]]
    names = tuple(p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))
    var_keyword = any(p.kind == p.VAR_KEYWORD for p in params)
    instance = build(cls)
    keys = None
    if instance is not None:
        try:
            keys = tuple(sorted(instance.get_config()))
        except Exception:  # noqa: BLE001 - get_config itself fails: config unknown
            keys = None
    return {"params": names, "var_keyword": var_keyword, "config_keys": keys}


def raises_on_subclass(base):
    """Does get_config() raise for a bare subclass of *base* built with no arguments?"""
    sub = type("Probe", (base,), {"__call__": lambda self, *a, **k: 0.0,
                                  "call": lambda self, *a, **k: a[0] if a else 0.0})
    try:
        instance = sub()
    except Exception:  # noqa: BLE001
        return None
    try:
        instance.get_config()
        return False
    except NotImplementedError:
        return True
    except Exception:  # noqa: BLE001
        return None


def main():
    table = {}
    for prefix, module in FAMILIES.items():
        for attr in sorted(dir(module)):
            obj = getattr(module, attr)
            if not inspect.isclass(obj) or attr.startswith("_"):
                continue
            table[f"{prefix}.{attr}"] = describe(obj)
    raising = sorted(name for name, base in BASES.items() if raises_on_subclass(base))
    unknown = sorted(name for name, entry in table.items() if entry["config_keys"] is None)
    with open(TARGET, "w") as fh:
        fh.write('"""Generated by docs/measurements/keras_builtin_configs.py from keras '
                 f'{keras.__version__}; do not edit.\n\n'
                 "BUILTIN_CLASSES maps a canonical Keras class name to its __init__ parameters,\n"
                 "whether it takes **kwargs, and the keys its get_config() returns on a plain\n"
                 "instance (None: the instance could not be built, config unknown).\n"
                 "GET_CONFIG_RAISES lists bases whose get_config() raises NotImplementedError.\n"
                 '"""\n\n')
        fh.write(f"KERAS_VERSION = {keras.__version__!r}\n\n")
        fh.write("GET_CONFIG_RAISES = frozenset(" + pprint.pformat(raising, width=96) + ")\n\n")
        fh.write("BUILTIN_CLASSES = " + pprint.pformat(table, width=96, compact=True) + "\n")
    print(f"{len(table)} classes, {len(unknown)} with unknown config: {', '.join(unknown)}",
          file=sys.stderr)
    print(f"get_config raises on: {', '.join(raising)}", file=sys.stderr)


if __name__ == "__main__":
    main()
