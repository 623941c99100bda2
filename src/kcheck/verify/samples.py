"""Child side: sample inputs to call a layer or model with, and sample data for other kinds."""
from __future__ import annotations

import inspect
from dataclasses import dataclass

# Ranks tried in order when nothing says what the layer wants: vectors, sequences, images,
# volumes. Small sizes keep the probe cheap.
FLOAT_SHAPES = ((2, 4), (2, 3, 4), (2, 4, 4, 3), (2, 3, 4, 4, 2), (2, 1))


@dataclass
class SampleInput:
    """Arrays to feed, whether they go in as one list argument, and a description."""

    arrays: list
    as_list: bool = False

    def describe(self) -> str:
        shapes = ", ".join(f"{a.dtype.name}{tuple(a.shape)}" for a in self.arrays)
        return f"[{shapes}]" if self.as_list or len(self.arrays) > 1 else shapes


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


def sample_inputs(cls):
    """Yield candidate inputs: float tensors of growing rank, integer ids, then a pair in a
    list (for layers whose single argument is a list of tensors)."""
    import numpy as np

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
