"""Which ``build()`` parameters carry shapes and which carry other values.

Keras 3 calls ``build()`` with shapes only: one per ``call()`` argument, matched by name
(``foo_shape`` for ``foo``). A parameter named exactly like a ``call()`` argument
(``build(self, query, value)`` beside ``call(self, query, value)``) is meant for that input's
shape, only misnamed; a parameter that names no input (``initializer="ones"``) expects a value
Keras never passes.
"""

from __future__ import annotations

from kcheck.facts.module import FunctionFacts, Param


def call_argument_names(call: FunctionFacts | None) -> set[str] | None:
    """Named parameters of call(); None when call() is not visible (a Keras base's)."""
    if call is None:
        return None
    return {p.name for p in call.params if p.kind not in ("var-positional", "var-keyword")}


def non_shape_extras(build: FunctionFacts, call: FunctionFacts | None) -> list[Param]:
    """build() parameters after the first that are neither ``*_shape`` nor named after a call()
    argument: values, not shapes."""
    inputs = call_argument_names(call) or set()
    named = [p for p in build.params if p.kind not in ("var-positional", "var-keyword")]
    return [p for p in named[1:] if not p.name.endswith("_shape") and p.name not in inputs]
