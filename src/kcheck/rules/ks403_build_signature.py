"""KS403: a build() signature that Keras 3 refuses to call."""

from __future__ import annotations

import libcst as cst

from kcheck.facts.build_signature import non_shape_extras
from kcheck.facts.usage import only_built_by_other_classes
from kcheck.fixes.signatures import rename_build_shapes
from kcheck.rules.base import Rule


def build_signature_problem(build, call) -> str | None:
    """Why Keras 3 cannot call *build* when the layer is first used, or None.

    Mirrors ``keras.src.layers.layer.update_shapes_dict_for_target_fn`` (Keras 3.15): a build()
    with one named parameter gets the first input shape whatever its name; with more, every
    named parameter must end in ``_shape`` and name a parameter of call() (``foo_shape`` for
    ``foo``). ``*args``/``**kwargs`` are ignored. *call* is None when call() is not visible (a
    Keras base's call): then only the ``_shape`` suffix is checked.
    """
    named = [p.name for p in build.params
             if p.kind in ("positional-only", "positional", "keyword-only")]
    if len(named) <= 1:
        return None
    call_names = None if call is None else {
        p.name for p in call.params if p.kind not in ("var-positional", "var-keyword")}
    for name in named:
        if not name.endswith("_shape"):
            if call_names is not None and name in call_names:
                return (f"parameter {name!r} does not end in '_shape' (Keras passes the shape of "
                        f"call()'s {name!r} as {name}_shape)")
            return f"parameter {name!r} does not end in '_shape'"
        stem = name[: -len("_shape")]
        if call_names is not None and stem not in call_names:
            return f"parameter {name!r} names no call() argument {stem!r}"
    return None


class BuildSignatureRejected(Rule):
    """``build()`` takes several shape parameters whose names Keras 3 cannot match to
    ``call()``: every parameter of a multi-parameter build() must be ``<arg>_shape`` for an
    argument ``<arg>`` of ``call()``, otherwise Keras raises ``ValueError`` the first time the
    layer is called, before anything can be saved (``build(self, input_shape, mask_shape)``
    with ``call(self, inputs, mask)``: there is no call() argument ``input``).

    A build() with non-shape parameters (``build(self, input_shape, units)``) and no
    ``build_from_config`` is KS401's report, not KS403's: one mistake, one report. With a
    ``build_from_config`` KS403 reports it, unless the module builds a layer by hand with
    extra arguments (``layer.build(shape, 4)``): built by hand before its first call, such a
    layer round-trips (measured), because Keras only checks the signature when the first call
    has to build the layer. A layer built by hand in *another* module is reported anyway."""

    code = "KS403"
    KERAS_VERSIONS = frozenset({3})  # Keras 2 does not check build() signatures
    name = "build-signature-rejected"
    summary = "build() shape parameters whose names do not match call() as Keras 3 requires"
    RUNTIME_EVIDENCE = ("_shape",)
    VALID = [
        '''
import keras

class Project(keras.layers.Layer):
    def build(self, input_shape, units=4):
        self.w = self.add_weight(shape=(input_shape[-1], units))

    def call(self, x):
        return x @ self.w

    def build_from_config(self, config):
        self.build(config["input_shape"], 4)

layer = Project()
layer.build((None, 8), 4)
''',
        '''
import keras

class Attend(keras.layers.Layer):
    def build(self, query_shape, value_shape=None):
        self.w = self.add_weight(shape=(query_shape[-1],))

    def call(self, query, value=None):
        return query * self.w
''',
        '''
import keras

class Scale(keras.layers.Layer):
    def build(self, shape):
        self.w = self.add_weight(shape=(shape[-1],))

    def call(self, inputs, mask=None):
        return inputs * self.w
''',
        '''
import keras

class Init(keras.layers.Layer):
    def build(self, input_shape, initializer="ones"):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer=initializer)

    def call(self, inputs):
        return inputs * self.w
''',
    ]
    INVALID = [
        '''
import keras

class Project(keras.layers.Layer):
    def build(self, input_shape, units=4):  # expect: KS403
        self.w = self.add_weight(shape=(input_shape[-1], units))

    def call(self, x):
        return x @ self.w

    def get_build_config(self):
        return {"in_dim": self.w.shape[0], "units": self.w.shape[1]}

    def build_from_config(self, config):
        self.build((None, config["in_dim"]), config["units"])
''',
        '''
import keras

class Masked(keras.layers.Layer):
    def build(self, input_shape, mask_shape=None):  # expect: KS403
        self.w = self.add_weight(shape=(input_shape[-1],))

    def call(self, inputs, mask=None):
        return inputs * self.w
''',
    ]
    FIXES = [
        ('''
import keras

class Masked(keras.layers.Layer):
    def build(self, input_shape, mask_shape=None):
        self.w = self.add_weight(shape=(input_shape[-1],))

    def call(self, inputs, mask=None):
        return inputs * self.w
''', '''
import keras

class Masked(keras.layers.Layer):
    def build(self, inputs_shape, mask_shape=None):
        self.w = self.add_weight(shape=(inputs_shape[-1],))

    def call(self, inputs, mask=None):
        return inputs * self.w
'''),
    ]

    def check_class(self, cls, context):
        if cls.kind not in ("layer", "model"):
            return
        build = cls.facts.method("build")
        if build is None:
            return
        found = cls.find_method("call")
        problem = build_signature_problem(build, found[1] if found else None)
        if problem is None:
            return
        if non_shape_extras(build, found[1] if found else None) and (
                cls.find_method("build_from_config") is None or _built_by_hand(cls)):
            return  # KS401's report, or a layer that works because it is built by hand
        if only_built_by_other_classes(context.project, cls):
            return  # its owner's build() calls build() itself, so Keras never checks the names
        yield self.finding(
            f"{cls.name}.build() takes several parameters and {problem}: Keras 3 raises "
            "ValueError \"all arguments should have a `_shape` suffix and match an argument "
            "from `call()`\" the first time the layer is called; take only input_shape, or "
            "name each parameter <arg>_shape after a call() argument",
            build.node.name, cls,
            fix=rename_build_shapes(cls, build, found[1]) if found else None)


def _built_by_hand(cls) -> bool:
    """The class's module calls ``something.build(...)`` with more than one argument."""
    for site in cls.module.facts.calls:
        func = site.node.func
        if not (site.callee.endswith(".build") and isinstance(func, cst.Attribute)):
            continue
        receiver = func.value
        if isinstance(receiver, cst.Name) and receiver.value == "self":
            continue
        if isinstance(receiver, cst.Call):
            continue  # super().build(...)
        if len(site.node.args) > 1:
            return True
    return False
