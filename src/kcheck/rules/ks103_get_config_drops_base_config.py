"""KS103: get_config builds its dict without super().get_config()."""

from __future__ import annotations

from kcheck.facts.init_chain import kind_noun
from kcheck.facts.usage import is_abstract_base, only_built_by_other_classes
from kcheck.fixes.config_methods import merge_base_config
from kcheck.rules.base import Rule

# What the base config carries per kind and what losing it means after load_model.
_CARRIED = {
    "layer": (("name", "trainable", "dtype"), "its name, trainable=False and its dtype policy"),
    "model": (("name", "trainable", "dtype"), "its name, trainable=False and its dtype policy"),
    "loss": (("name", "reduction"), "its name and reduction"),
    "metric": (("name", "dtype"), "its name and dtype"),
}


class GetConfigDropsBaseConfig(Rule):
    """``get_config`` returns a dict that does not start from ``super().get_config()`` and does
    not write the base keys itself, so ``name``, ``trainable`` and the dtype policy (a loss's
    ``reduction``) are lost: the object reloads with the defaults.

    Initializers, regularizers, constraints and schedules have an empty (or raising) base
    config and are not reported; neither is a class whose ``__init__`` accepts none of the base
    keys (KS104 is about those).
    """

    code = "KS103"
    name = "get-config-drops-base-config"
    summary = "get_config() does not merge super().get_config()"
    severity = "warning"
    VALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):
        config = super().get_config()
        config["factor"] = self.factor
        return config
''',
        '''
import keras

class Fill(keras.initializers.Initializer):
    def __init__(self, value=1.0):
        self.value = value

    def get_config(self):
        return {"value": self.value}
''',
        '''
import keras

class Strict(keras.layers.Layer):
    def __init__(self, factor):
        super().__init__()
        self.factor = factor

    def get_config(self):
        return {"factor": self.factor}
''',
    ]
    INVALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):  # expect: KS103
        return {"factor": self.factor}
''',
        '''
import keras

class Scaled(keras.losses.Loss):
    def __init__(self, factor=1.0, name="scaled", **kwargs):
        super().__init__(name=name, **kwargs)
        self.factor = factor

    def get_config(self):  # expect: KS103
        config = {}
        config.update(factor=self.factor)
        return config
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
        return {
            "factor": self.factor,  # the only argument
        }
''', '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):
        return {
            **super().get_config(),
            "factor": self.factor,  # the only argument
        }
'''),
    ]

    def check_class(self, cls, context):
        config = cls.facts.config()
        carried = _CARRIED.get(cls.kind or "")
        if config is None or carried is None or not config.returns_value:
            return
        value = config.value
        if not value.complete or value.merges_super:
            return
        keys, what = carried
        if "name" in value.keys:
            return  # the base keys are handled by hand (InputLayer, keras_hub's Backbone)
        found = cls.find_method("__init__")
        if found is not None:
            params = found[1].params
            if not any(p.kind == "var-keyword" or p.name in keys for p in params):
                return  # the constructor cannot take them back anyway
        if is_abstract_base(context.project, cls) or \
                only_built_by_other_classes(context.project, cls):
            return
        yield self.finding(
            f"{cls.name}.get_config() does not merge super().get_config(): after load_model the "
            f"{kind_noun(cls.kind)} silently loses {what}; start from "
            "config = super().get_config() and add your keys to it",
            cls.facts.method("get_config").node.name, cls, fix=merge_base_config(cls))
