"""KS105: get_config returns a value that cannot come back as a constructor argument."""

from __future__ import annotations

import libcst as cst

from kcheck.facts.cst_walk import dotted_name
from kcheck.fixes.config_methods import list_value
from kcheck.rules.base import Rule

_NUMPY_ARRAYS = frozenset({"array", "asarray", "asanyarray", "zeros", "ones", "empty", "full",
                           "arange", "linspace", "eye", "identity", "stack", "concatenate",
                           "zeros_like", "ones_like", "full_like", "load", "loadtxt"})
_SAVE_FAILS = "model.save() fails"
# what -> (effect, fix)
_VERDICTS = {
    "a numpy array": ("load_model fails (the array comes back as a '__tensor__' dict)",
                      "return .tolist() and rebuild the array in __init__"),
    "a tensor": ("load_model fails (the tensor comes back as a '__tensor__' dict)",
                 "return a Python list (keras.ops.convert_to_numpy(t).tolist())"),
    "a variable": (f"{_SAVE_FAILS} (Cannot serialize object <Variable ...>)",
                   "return the value it was built from; variables are saved with the weights"),
    "a set": (f"{_SAVE_FAILS} (Cannot serialize object TrackedSet)",
              "return sorted(...) as a list"),
    "a lambda": ("model.save() or load_model fails (lambdas are refused in safe mode)",
                 "use a registered named function and serialize it"),
    "an open file": (f"{_SAVE_FAILS}", "return the file's path and reopen it in __init__"),
}


class UnserializableConfigValue(Rule):
    """A ``get_config`` value that does not survive as a constructor argument: a numpy array, a
    tensor, a variable, a set, a lambda or an open file, written directly or through the
    ``self.`` attribute ``__init__``/``build`` assigned it from."""

    code = "KS105"
    name = "unserializable-config-value"
    summary = "get_config() returns an array, tensor, variable, set, lambda or file"
    VALID = [
        '''
import keras
import numpy as np

class Table(keras.layers.Layer):
    def __init__(self, table=(0.0,), **kwargs):
        super().__init__(**kwargs)
        self.table = np.asarray(table, "float32")

    def get_config(self):
        return {**super().get_config(), "table": self.table.tolist()}
''',
        '''
import keras
import numpy as np

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = np.float32(factor)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
''',
    ]
    INVALID = [
        '''
import keras
import numpy as np

class Table(keras.layers.Layer):
    def __init__(self, table=(0.0,), **kwargs):
        super().__init__(**kwargs)
        self.table = np.asarray(table, "float32")

    def get_config(self):
        return {**super().get_config(), "table": self.table}  # expect: KS105
''',
        '''
import keras

class Pick(keras.layers.Layer):
    def __init__(self, keep=(0,), **kwargs):
        super().__init__(**kwargs)
        self.keep = set(keep)

    def get_config(self):
        config = super().get_config()
        config["keep"] = self.keep  # expect: KS105
        return config
''',
        '''
import keras

class Gain(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def get_config(self):
        config = super().get_config()
        config.update({"w": self.w})  # expect: KS105
        return config
''',
    ]
    FIXES = [
        ('''
import keras
import numpy as np

class Table(keras.layers.Layer):
    def __init__(self, table=(0.0,), **kwargs):
        super().__init__(**kwargs)
        self.table = np.asarray(table, "float32")

    def get_config(self):
        return {**super().get_config(), "table": self.table}
''', '''
import keras
import numpy as np

class Table(keras.layers.Layer):
    def __init__(self, table=(0.0,), **kwargs):
        super().__init__(**kwargs)
        self.table = np.asarray(table, "float32")

    def get_config(self):
        return {**super().get_config(), "table": self.table.tolist()}
'''),
    ]

    def check_class(self, cls, context):
        config = cls.facts.config()
        if config is None:
            return
        for key, value in config.value.keys.items():
            what = _classify(context, cls, value, depth=0)
            if what is None:
                continue
            effect, fix = _VERDICTS[what]
            yield self.finding(
                f"{cls.name}.get_config() returns {key!r} as {what}: {effect}; {fix}",
                config.value.key_nodes.get(key, value), cls, fix=list_value(cls, value, what))


def _classify(context, cls, value: cst.BaseExpression, depth: int) -> str | None:
    if depth > 3:
        return None
    if isinstance(value, (cst.Set, cst.SetComp)):
        return "a set"
    if isinstance(value, cst.Lambda):
        return "a lambda"
    if isinstance(value, cst.IfExp):
        return (_classify(context, cls, value.body, depth + 1)
                or _classify(context, cls, value.orelse, depth + 1))
    if isinstance(value, cst.Call):
        return _classify_call(context, cls, value)
    if (isinstance(value, cst.Attribute) and isinstance(value.value, cst.Name)
            and value.value.value == "self"):
        assigned = _assignment(cls, value.attr.value)
        if assigned is not None:
            return _classify(context, cls, assigned, depth + 1)
    return None


def _assignment(cls, attr: str) -> cst.BaseExpression | None:
    """The one value ``__init__`` or ``build`` assigns to ``self.<attr>``."""
    for owner in cls.lineage():
        for method_name in ("__init__", "build"):
            method = owner.facts.method(method_name)
            if method is not None and attr in method.self_assignments:
                return method.self_assignments[attr]
    return None


def _classify_call(context, cls, call: cst.Call) -> str | None:
    name = dotted_name(call.func)
    if name is None:
        return None
    if name in ("set", "frozenset"):
        return "a set"
    if name == "open":
        return "an open file"
    if name in ("self.add_weight", "self.add_variable"):
        return "a variable"
    target = context.project.resolve(cls.module, name)
    if target.kind == "external":
        parts = target.name.split(".")
        if parts[0] == "numpy" and (parts[-1] in _NUMPY_ARRAYS or
                                    (len(parts) == 3 and parts[1] == "random"
                                     and parts[2][:1].islower() and parts[2] != "seed")):
            return "a numpy array"
        if parts[0] in ("tensorflow", "jax") and parts[-1] in (
                "constant", "convert_to_tensor", "zeros", "ones", "array", "asarray"):
            return "a tensor"
        if parts[0] == "tensorflow" and parts[-1] == "Variable":
            return "a variable"
    if target.kind == "keras":
        parts = target.name.split(".")
        if parts[-1] == "Variable":
            return "a variable"
        if len(parts) >= 3 and parts[1] == "ops" and parts[-1] in (
                "convert_to_tensor", "zeros", "ones", "full", "arange", "eye", "array",
                "stack", "concatenate", "zeros_like", "ones_like"):
            return "a tensor"
    return None
