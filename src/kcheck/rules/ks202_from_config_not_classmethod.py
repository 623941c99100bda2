"""KS202: from_config is defined as a plain method, so Keras cannot call it on the class."""

from __future__ import annotations

from kcheck.fixes.signatures import classmethod_from_config
from kcheck.rules.base import Rule

# Decorators that leave a function a plain function (they only mark it for type checkers).
_TRANSPARENT = frozenset({"override", "typing.override", "typing_extensions.override"})


class FromConfigNotClassmethod(Rule):
    """``from_config`` lacks ``@classmethod``: Keras calls ``Cls.from_config(config)`` on the
    class, so the config lands in ``self``/``cls`` and loading fails with a TypeError.

    A ``@staticmethod from_config(config)`` taking exactly one argument works and is not
    reported; one taking two is."""

    code = "KS202"
    name = "from-config-not-classmethod"
    summary = "from_config defined without @classmethod"
    RUNTIME_EVIDENCE = ("from_config() missing 1 required positional argument",)
    VALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
''',
        '''
import keras

class Scale(keras.layers.Layer):
    @staticmethod
    def from_config(config):
        return Scale(**config)
''',
        '''
class Plain:
    def from_config(self, config):
        return config
''',
    ]
    INVALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}

    def from_config(cls, config):  # expect: KS202
        return cls(**config)
''',
        '''
from keras import Model

class Net(Model):
    @staticmethod
    def from_config(cls, config):  # expect: KS202
        return cls(**config)
''',
    ]
    FIXES = [
        ('''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}

    def from_config(self, config):
        return self(**config)
''', '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}

    @classmethod
    def from_config(cls, config):
        return cls(**config)
'''),
    ]

    def check_class(self, cls, context):
        method = cls.facts.method("from_config")
        if method is None or method.is_classmethod:
            return
        if method.is_staticmethod:
            required = [p for p in method.params if p.default is None
                        and p.kind in ("positional-only", "positional")]
            if len(required) <= 1 and len(method.params) >= 1:
                return
            what = "a @staticmethod taking two arguments"
        else:
            if any(d not in _TRANSPARENT for d in method.decorators):
                return  # an unknown decorator may well turn it into a classmethod
            what = "a plain method"
        yield self.finding(
            f"{cls.name}.from_config() is {what}, not a @classmethod: load_model calls "
            f"{cls.name}.from_config(config) on the class, so loading fails with TypeError "
            "\"from_config() missing 1 required positional argument: 'config'\"; "
            "decorate it with @classmethod and take (cls, config)",
            method.node.name, cls, fix=classmethod_from_config(method))
