"""KS404: add_weight() with the weight's name as its first positional argument (Keras 2 order)."""

from __future__ import annotations

from kcheck.facts.layer_state import positional_weight_names
from kcheck.rules.base import Rule


class AddWeightPositionalName(Rule):
    """``self.add_weight("kernel", shape=...)``: Keras 2's ``add_weight(name, shape, ...)``
    order, in a layer ported to Keras 3, where the first positional parameter is ``shape``.

    Keras 3 raises ``ValueError: `name` must be passed as a keyword argument`` when the layer
    is built, at its first call, so the model can never be saved (measured, Keras 3.15, also
    for an f-string name). ``self.add_weight((4,), "ones")`` -- Keras 3's own positional order,
    shape then initializer -- is fine (measured), as is ``name=`` as a keyword. Not applied
    with ``--keras-version 2``, where the name comes first."""

    code = "KS404"
    name = "add-weight-positional-name"
    summary = "add_weight() with the weight's name as first positional argument (Keras 2 order)"
    KERAS_VERSIONS = frozenset({3})
    RUNTIME_EVIDENCE = ("must be passed as a keyword argument",)
    VALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w")
        self.b = self.add_weight((input_shape[-1],), "zeros")

    def call(self, x):
        return x * self.w + self.b
''',
    ]
    INVALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("w", shape=(input_shape[-1],), initializer="ones")  # expect: KS404
        self.b = self.add_weight(f"{self.name}_b", (input_shape[-1],))  # expect: KS404

    def call(self, x):
        return x * self.w + self.b
''',
    ]

    def check_class(self, cls, context):
        if cls.kind not in ("layer", "model"):
            return
        for method, arg in positional_weight_names(cls):
            shown = context.module.tree.code_for_node(arg.value).strip()
            yield self.finding(
                f"{cls.name}.{method}() passes the weight name {shown} as add_weight()'s first "
                "positional argument (Keras 2 order): Keras 3 raises ValueError \"`name` must "
                "be passed as a keyword argument\" when the layer is built, so the model can "
                f"never be saved; write add_weight(name={shown}, shape=...)", arg, cls)
