"""Child side: sample inputs to call a layer or model with, and sample data for other kinds."""
from __future__ import annotations

import inspect
from dataclasses import dataclass

# Ranks tried in order when nothing says what the layer wants: vectors, sequences, images,
# volumes. Small sizes keep the probe cheap.
FLOAT_SHAPES = ((2, 4), (2, 3, 4), (2, 4, 4, 3), (2, 3, 4, 4, 2), (2, 1))


@dataclass
class SampleInput:
    """Arrays to feed and how they are arranged.

    `template` is the tuple of positional arguments of the call as a JSON-able structure whose
    leaves are `{"leaf": i}` (index into `arrays`), lists `{"list": [...]}` and dicts
    `{"dict": {...}}`; without one, the arrays are the positional arguments (or, with `as_list`,
    one list argument). `origin` says where the arrangement came from (the module's own code).
    """

    arrays: list
    as_list: bool = False
    template: object = None
    origin: str = ""

    def args_template(self) -> list:
        if self.template is not None:
            return self.template
        leaves = [{"leaf": i} for i in range(len(self.arrays))]
        return [{"list": leaves}] if self.as_list else leaves

    def feed_template(self):
        """The structure `model.predict` takes: the only argument, or a list of them."""
        args = self.args_template()
        return args[0] if len(args) == 1 else {"list": list(args)}

    def describe(self) -> str:
        shapes = ", ".join(f"{a.dtype.name}{tuple(a.shape)}" for a in self.arrays)
        text = f"[{shapes}]" if self.as_list or len(self.arrays) > 1 else shapes
        return f"{text} ({self.origin})" if self.origin else text


def fill(template, leaves: list):
    """The structure `template` describes, with `leaves[i]` at each `{"leaf": i}`."""
    if isinstance(template, list):
        return [fill(t, leaves) for t in template]
    if "leaf" in template:
        return leaves[template["leaf"]]
    if "list" in template:
        return [fill(t, leaves) for t in template["list"]]
    return {key: fill(t, leaves) for key, t in template["dict"].items()}


def to_template(structure, leaves: list, is_leaf):
    """The template of `structure` (lists, tuples, dicts of leaves); appends its leaves to
    `leaves`. Raises TypeError for anything else."""
    if is_leaf(structure):
        leaves.append(structure)
        return {"leaf": len(leaves) - 1}
    if isinstance(structure, (list, tuple)):
        return {"list": [to_template(s, leaves, is_leaf) for s in structure]}
    if isinstance(structure, dict) and all(isinstance(k, str) for k in structure):
        return {"dict": {k: to_template(v, leaves, is_leaf) for k, v in structure.items()}}
    raise TypeError(f"not a tensor structure: {type(structure).__name__}")


def array_like(tensor, rng):
    """A sample array for a symbolic tensor: unknown batch size 2, other unknown sizes 4;
    integers in 0-2 (valid ids for any embedding), floats in 0.1-1."""

    shape = tuple((2 if i == 0 else 4) if d is None else int(d)
                  for i, d in enumerate(tensor.shape))
    dtype = str(getattr(tensor, "dtype", "float32"))
    if "int" in dtype:
        return rng.randint(0, 3, shape).astype(dtype)
    if dtype == "bool":
        return rng.uniform(0, 1, shape) > 0.5
    if "float" not in dtype:
        raise TypeError(f"cannot make a sample of dtype {dtype}")
    return rng.uniform(0.1, 1.0, shape).astype(dtype)


def module_samples(expressions, namespace: dict, filename: str) -> list[SampleInput]:
    """Evaluate the module's own input expressions (the tuple of positional arguments its code
    passes to the class) and make arrays of the same shapes and dtypes. An expression that
    fails, or that uses a stand-in for a missing module, is left out."""
    import keras
    import numpy as np

    from . import standins

    rng = np.random.RandomState(0)
    out = []
    for expression in expressions:
        used = len(standins.TOUCHED)
        try:
            value = eval(expression, dict(namespace))  # noqa: S307 - the module's own code
            leaves: list = []
            template = to_template(value, leaves, lambda v: isinstance(v, keras.KerasTensor))
            if not isinstance(value, tuple) or not leaves:
                continue
            arrays = [array_like(t, rng) for t in leaves]
        except Exception:  # noqa: BLE001 - the generic inputs are tried after these
            continue
        finally:
            # The result is discarded when a stand-in was touched: it reaches no verdict.
            del standins.TOUCHED[used:]
        text = expression if len(expression) <= 120 else expression[:119] + "…"
        out.append(SampleInput(arrays, template=template["list"],
                               origin=f"as {filename} feeds it: {text}"))
    return out


def call_arity(cls) -> int:
    """How many required positional tensor arguments `call()` takes (at least 1)."""
    call = getattr(cls, "call", None)
    if call is None:
        return 1
    try:
        params = list(inspect.signature(call).parameters.values())[1:]
    except (TypeError, ValueError):
        return 1
    required = [p for p in params
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                and p.default is p.empty and p.name not in ("training", "mask")]
    return max(1, len(required))


def sample_inputs(cls, first=()):
    """Yield candidate inputs: `first` (the module's own, see module_samples), then float
    tensors of growing rank, integer ids, then a pair in a list (for layers whose single
    argument is a list of tensors)."""
    import numpy as np

    yield from first
    rng = np.random.RandomState(0)
    arity = call_arity(cls)
    for shape in FLOAT_SHAPES:
        # Strictly positive values avoid log/sqrt/division edge cases in user layers.
        yield SampleInput([rng.uniform(0.1, 1.0, shape).astype("float32") for _ in range(arity)])
    yield SampleInput([rng.randint(0, 3, (2, 4)).astype("int32") for _ in range(arity)])
    if arity == 1:
        pair = [rng.uniform(0.1, 1.0, (2, 4)).astype("float32") for _ in range(2)]
        yield SampleInput(pair, as_list=True)


def sample_pair(shape=(2, 3)):
    """(y_true, y_pred) for losses and metrics: probabilities, so classification losses work."""
    import numpy as np

    rng = np.random.RandomState(1)
    y_true = (rng.uniform(0, 1, shape) > 0.5).astype("float32")
    y_pred = rng.uniform(0.05, 0.95, shape).astype("float32")
    return y_true, y_pred


def sample_weight_matrix():
    """A small weight matrix for regularizers and constraints, with negative entries."""
    import numpy as np

    return np.random.RandomState(2).uniform(-1.0, 1.0, (3, 4)).astype("float32")
