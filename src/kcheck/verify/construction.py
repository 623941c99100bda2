"""Child side: ways to build an instance of the class under test, most trusted first.

First the target's examples (declared in config, or seen at call sites), then synthesised
constructor calls. Every candidate is a Python expression, so `method` can show exactly what was
built. Synthesis passes non-default values wherever a safe one can be guessed, because a
get_config() that drops an argument cannot be caught when the argument has its default value.
"""
from __future__ import annotations

import ast
import inspect
import re
from dataclasses import dataclass

# Base-class keyword arguments worth setting to non-defaults, per kind: a config that does not
# merge super().get_config() loses exactly these.
BASE_ARGUMENTS = {
    "layer": {"name": "'kcheck_probe'", "trainable": "False", "dtype": "'float64'"},
    "model": {"name": "'kcheck_probe'", "trainable": "False", "dtype": "'float64'"},
    "metric": {"name": "'kcheck_probe'", "dtype": "'float64'"},
    "loss": {"name": "'kcheck_probe'"},
}

LAYER_EXPR = "keras.layers.Dense(3)"
CALLABLE_EXPR = "keras.activations.relu"

HINT_VALUES = {
    "layer": LAYER_EXPR, "model": "keras.Sequential([keras.layers.Dense(3)])",
    "layers": f"[{LAYER_EXPR}]", "callable": CALLABLE_EXPR, "function": CALLABLE_EXPR,
    "int": "3", "float": "0.25", "str": "'kcheck'", "bool": "True", "shape": "(3,)",
    "tuple": "(3,)", "list": "[3]", "dict": "{}", "activation": "'relu'",
    "initializer": "'ones'", "regularizer": "'l2'", "constraint": "'non_neg'",
    "loss": "'mse'", "optimizer": "'sgd'",
}

RATE_WORDS = ("rate", "alpha", "dropout", "beta", "gamma", "epsilon", "eps", "momentum", "scale",
              "factor", "weight", "temperature", "margin", "threshold", "prob", "lr", "ratio",
              "smoothing", "decay", "delta", "clip", "l1", "l2", "coef", "lambda")
COUNT_WORDS = ("units", "filters", "dim", "dims", "size", "heads", "depth", "channels",
               "features", "width", "hidden", "count", "length", "steps", "num", "classes",
               "tokens", "vocab", "k", "n", "groups", "order", "degree", "repeats", "outputs")
LAYER_WORDS = ("layer", "inner", "block", "sublayer", "module", "wrapped", "base", "cell",
               "encoder", "decoder", "body", "head", "backbone", "net", "submodel")
CALLABLE_WORDS = ("fn", "func", "function", "callable", "op", "transform")


@dataclass(frozen=True)
class Candidate:
    """A constructor expression to evaluate, and how to describe it in a Verdict's `method`."""

    expression: str
    method: str


def accepted_base_arguments(cls, kind: str) -> dict[str, str]:
    """The base keyword arguments (name/trainable/dtype) that the constructor accepts."""
    wanted = BASE_ARGUMENTS.get(kind, {})
    try:
        params = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        return {}
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return dict(wanted)
    return {k: v for k, v in wanted.items() if k in params}


def example_candidates(target: dict, cls) -> list[Candidate]:
    """The target's examples, each first with the base arguments added (when it is a plain call
    of the class that does not set them already) and then as written."""
    out = []
    sources = list(target.get("example_sources") or [])
    base = accepted_base_arguments(cls, target["kind"])
    for index, example in enumerate(target.get("examples") or []):
        source = sources[index] if index < len(sources) else "declared"
        # "declared" (or the lead's longer "declared in [tool.kcheck.examples]") vs call sites
        label = "declared example" if source.startswith("declared") else source
        extended = _with_keywords(example, base)
        if extended and extended != example:
            out.append(Candidate(extended, f"{label}: {extended}"))
        out.append(Candidate(example, f"{label}: {example}"))
    return out


def _with_keywords(expression: str, extra: dict[str, str]) -> str | None:
    try:
        node = ast.parse(expression, mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Call) or not extra:
        return None
    present = {k.arg for k in node.keywords}
    if None in present:  # **kwargs in the example: cannot tell what it sets
        return None
    added = [f"{k}={v}" for k, v in extra.items() if k not in present]
    if not added:
        return None
    inner = expression.strip()[:-1].rstrip()
    separator = "" if inner.endswith("(") else ", "
    return f"{inner}{separator}{', '.join(added)})"


@dataclass(frozen=True)
class SynthesisPlan:
    """Guessed arguments for one class: `required` holds the values for parameters without a
    default, `perturbed` non-default values for optional ones, `unguessable` the required
    parameters no value could be guessed for."""

    required: dict
    perturbed: dict
    unguessable: tuple


def plan_synthesis(cls, hints: dict) -> SynthesisPlan:
    """Guess constructor arguments from hints, names, annotations and the class source."""
    try:
        params = list(inspect.signature(cls).parameters.values())
    except (TypeError, ValueError):
        return SynthesisPlan({}, {}, ())
    called = _called_parameters(cls)
    required, perturbed, unguessable = {}, {}, []
    for p in params:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.name in ("name", "trainable", "dtype"):
            continue
        if p.default is p.empty:
            guess = guess_value(p.name, p.annotation, hints.get(p.name), p.name in called)
            if guess is None:
                unguessable.append(p.name)
            else:
                required[p.name] = guess
        else:
            changed = perturb_default(p.name, p.default)
            if changed is not None:
                perturbed[p.name] = changed
    return SynthesisPlan(required, perturbed, tuple(unguessable))


def synthesis_candidates(cls, target: dict) -> list[Candidate]:
    """Synthesised constructor calls, falling back step by step: with non-default values and
    base arguments; without the base arguments; defaults with base arguments; defaults only."""
    plan = plan_synthesis(cls, target.get("param_hints") or {})
    base = accepted_base_arguments(cls, target["kind"])
    name = target["class_name"]
    steps = [
        ({**plan.required, **plan.perturbed, **base}, ""),
        ({**plan.required, **plan.perturbed}, " (without name/trainable/dtype)"),
        ({**plan.required, **base}, " (optional arguments left at their defaults)"),
        (dict(plan.required), " (defaults only)"),
    ]
    paired = _as_pairs(plan.required)
    if paired != plan.required:
        # `patch_size=3` raising "'int' object is not iterable": sizes given as (h, w) pairs
        steps.append(({**paired, **plan.perturbed, **base}, " (sizes as pairs)"))
        steps.append((paired, " (sizes as pairs, defaults only)"))
    out, seen = [], set()
    for arguments, note in steps:
        text = ", ".join(f"{k}={v}" for k, v in arguments.items())
        expression = f"{name}({text})"
        if expression not in seen:
            seen.add(expression)
            out.append(Candidate(expression, f"synthesised: {expression}{note}"))
    return out


PAIR_WORDS = ("size", "patch", "shape", "resolution", "window", "kernel", "stride", "num_patch")


def _as_pairs(required: dict) -> dict:
    """Integer guesses for size-like parameters as (n, n) pairs."""
    return {name: (f"({value}, {value})" if value.isdigit() and any(
        word in name.lower() for word in PAIR_WORDS) else value)
        for name, value in required.items()}


def _called_parameters(cls) -> set[str]:
    """Constructor parameters the class calls like a function (`self.inner(x)`), from source."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return set()
    called = set(re.findall(r"self\.(\w+)\s*\(", source))
    aliases = dict((param, attr) for attr, param in re.findall(r"self\.(\w+)\s*=\s*(\w+)\s*$",
                                                                source, re.M))
    return {param for param, attr in aliases.items() if attr in called} | called


def guess_value(name: str, annotation=inspect.Parameter.empty, hint: str | None = None,
                called: bool = False) -> str | None:
    """An expression for a required parameter, or None when nothing safe can be guessed."""
    if hint and hint in HINT_VALUES:
        return HINT_VALUES[hint]
    if called:
        return LAYER_EXPR
    from_annotation = _guess_from_annotation(annotation)
    if from_annotation:
        return from_annotation
    lowered = name.lower()
    words = set(lowered.split("_"))
    if lowered.endswith("activation"):
        return "'relu'"
    for suffix in ("initializer", "regularizer", "constraint"):
        if lowered.endswith(suffix):
            return HINT_VALUES[suffix]
    if lowered == "padding":
        return "'same'"
    if lowered == "axis":
        return "-1"
    if lowered == "seed":
        return "1234"
    if lowered in ("kernel_size", "pool_size", "strides", "stride"):
        return "2" if lowered == "pool_size" else ("1" if "stride" in lowered else "3")
    if lowered == "patch_size" or words & {"upsample", "downsample", "upsampling",
                                           "downsampling"}:
        return "2"
    if lowered.endswith(("image_shape", "img_shape", "input_shape")):
        return "(8, 8, 3)"
    if lowered.endswith("shape"):
        return "(3,)"
    if lowered == "layers":
        return HINT_VALUES["layers"]
    if words & set(LAYER_WORDS):
        return LAYER_EXPR
    if words & set(CALLABLE_WORDS):
        return CALLABLE_EXPR
    if lowered.startswith(("use_", "return_", "is_", "with_")):
        return "True"
    if lowered.startswith(("n_", "num_")) or words & set(COUNT_WORDS):
        return "3"
    if words & set(RATE_WORDS):
        return "0.25"
    return None


def _guess_from_annotation(annotation) -> str | None:
    if annotation is inspect.Parameter.empty:
        return None
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__",
                                                                  str(annotation))
    text = text.replace("typing.", "").split("|")[0].strip()
    simple = {"int": "3", "float": "0.25", "bool": "True", "str": "'kcheck'", "tuple": "(3,)",
              "list": "[3]", "dict": "{}"}
    if text in simple:
        return simple[text]
    if text.startswith(("Callable", "callable")):
        return CALLABLE_EXPR
    if text.startswith(("tuple", "Tuple", "Sequence", "list", "List")):
        return "(3,)"
    if text.endswith("Layer") or text.endswith("Model"):
        return LAYER_EXPR
    return None


def perturb_default(name: str, default) -> str | None:
    """A safe value different from `default`, as an expression, or None to keep the default."""
    lowered = name.lower()
    if isinstance(default, bool):
        return repr(not default)
    if isinstance(default, int):
        if lowered in ("axis", "verbose") or lowered.endswith("axis"):
            return None
        return repr(default + 1)
    if isinstance(default, float):
        if any(w in lowered.split("_") for w in RATE_WORDS) and 0.0 <= default < 1.0:
            return repr((default + 1.0) / 2 if default else 0.25)
        return repr(default * 2 + 0.5)
    return None
