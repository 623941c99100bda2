"""KS104: __init__ cannot take back the base keys its config carries."""

from __future__ import annotations

from kcheck.facts.effective_config import builtin_entry, effective_config, is_family_root
from kcheck.facts.generated_config import generated_config
from kcheck.facts.init_chain import accepts_keyword, super_init_calls
from kcheck.facts.usage import is_abstract_base, only_built_by_other_classes
from kcheck.fixes.signatures import forward_kwargs, keyword_super_arguments
from kcheck.rules.base import Rule

_LAYER_ROOTS = ("keras.layers.Layer", "keras.Layer")
# Keys Keras's generated config keeps for a layer whose __init__ has neither **kwargs nor
# `name` (Operation.get_config drops only `name`; Layer.get_config adds the other two).
_AUTO_KEYS = ("trainable", "dtype")
_ROOT_KEYS = {"layer": ("name", "trainable", "dtype"), "model": ("name", "trainable", "dtype")}


class InitRejectsBaseKwargs(Rule):
    """``__init__`` has no ``**kwargs`` (nor ``name``/``trainable``/``dtype`` parameters) while
    the config Keras saves carries those keys, so ``cls(**config)`` fails at load time; also a
    positional ``super().__init__(name)``, which ``Layer.__init__`` (keyword-only) rejects."""

    code = "KS104"
    name = "init-rejects-base-kwargs"
    summary = "__init__ without **kwargs cannot take back the base config keys"
    # "takes 1 positional argument but 2 were given", not "missing 1 required positional argument"
    RUNTIME_EVIDENCE = ("unexpected keyword argument", "positional argument but")
    VALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
''',
        '''
import keras

class Fill(keras.initializers.Initializer):
    def __init__(self, value=1.0):
        self.value = value

    def get_config(self):
        return {**super().get_config(), "value": self.value}
''',
        '''
import keras

class Named(keras.layers.Layer):
    def __init__(self, factor, name=None, trainable=True, dtype=None):
        super().__init__(name=name, trainable=trainable, dtype=dtype)
        self.factor = factor
''',
    ]
    INVALID = [
        '''
import keras

class Strict(keras.layers.Layer):
    def __init__(self, factor):  # expect: KS104
        super().__init__()
        self.factor = factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
''',
        '''
import keras

class Strict(keras.layers.Layer):
    def __init__(self, factor=1.0):  # expect: KS104
        super().__init__()
        self.factor = factor
''',
        '''
import keras

class Fixed(keras.layers.Dense):
    def __init__(self, units):  # expect: KS104
        super().__init__(units)
''',
        '''
import keras

class Pos(keras.layers.Layer):
    def __init__(self, factor=1.0, name=None, **kwargs):
        super().__init__(name, **kwargs)  # expect: KS104
        self.factor = factor
''',
    ]
    FIXES = [
        ('''
import keras

class Strict(keras.layers.Layer):
    def __init__(self, factor=1.0):
        super().__init__()
        self.factor = factor
''', '''
import keras

class Strict(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
'''),
        ('''
import keras

class Pos(keras.layers.Layer):
    def __init__(self, factor=1.0, name=None, **kwargs):
        super().__init__(name, **kwargs)
        self.factor = factor
''', '''
import keras

class Pos(keras.layers.Layer):
    def __init__(self, factor=1.0, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.factor = factor
'''),
    ]

    def check_class(self, cls, context):
        if cls.kind not in ("layer", "model", "loss", "metric"):
            return
        init = cls.facts.method("__init__")
        if init is None:
            return
        yield from self._positional_super(cls, init)
        if is_abstract_base(context.project, cls) or \
                only_built_by_other_classes(context.project, cls):
            return
        if cls.find_method("from_config") is not None:
            return  # a custom from_config decides what reaches __init__ (Sequential)
        keys, source = self._carried(cls, context)
        rejected = [key for key in keys if accepts_keyword(cls, key) is False]
        if not rejected:
            return
        names = ", ".join(repr(key) for key in rejected)
        yield self.finding(
            f"{cls.name}.__init__() takes no **kwargs, but {source} saves {names}: load_model "
            f"fails with TypeError: __init__() got an unexpected keyword argument "
            f"{rejected[0]!r}; add **kwargs to __init__ and pass them to "
            "super().__init__(**kwargs)", init.node.name, cls, fix=forward_kwargs(cls, init))

    def _carried(self, cls, context) -> tuple[tuple[str, ...], str]:
        config = effective_config(cls)
        if config is None:  # Keras generates the config from the recorded arguments
            generated = generated_config(context.project, cls)
            if generated is None or not generated.exists:
                return (), ""  # nothing is generated: saving fails first (KS101)
            return _AUTO_KEYS, "Keras's generated get_config()"
        if not config.complete and config.builtin is None:
            return (), ""
        base = config.builtin
        if base is None:
            return (), ""
        if is_family_root(base):
            keys = _ROOT_KEYS.get(cls.kind or "")
            if keys is None:
                entry = builtin_entry(base)
                keys = tuple(entry["config_keys"] or ()) if entry else ()
        else:
            entry = builtin_entry(base)
            keys = tuple(entry["config_keys"] or ()) if entry else ()
        return keys, config.source

    def _positional_super(self, cls, init):
        if any(ancestor.facts.method("__init__") is not None for ancestor in cls.ancestors):
            return
        if cls.nearest_keras_base() not in _LAYER_ROOTS:
            return
        for call in super_init_calls(init, []):
            if any(arg.keyword is None and not arg.star for arg in call.args):
                yield self.finding(
                    f"{cls.name}.__init__() passes positional arguments to super().__init__(): "
                    "Layer.__init__ takes keywords only, so building the layer fails with "
                    "TypeError: Layer.__init__() takes 1 positional argument; pass them by name "
                    "(super().__init__(name=name, **kwargs))", call, cls,
                    fix=keyword_super_arguments(call))
