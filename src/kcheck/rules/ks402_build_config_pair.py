"""KS402: one half of get_build_config / build_from_config, and the halves do not agree."""

from __future__ import annotations

from kcheck.facts.state_methods import calls_super, mentions_string, required_reads
from kcheck.rules.base import Rule

_DEFAULT_KEYS = frozenset({"input_shape", "shapes_dict"})


class BuildConfigPairIncomplete(Rule):
    """A layer overrides ``get_build_config`` or ``build_from_config`` but not the other, and
    the inherited half cannot work with it.

    Reported when ``get_build_config`` returns a dict without ``input_shape`` (and without
    merging ``super().get_build_config()``) while the inherited ``build_from_config`` only
    understands ``input_shape``/``shapes_dict``: the reloaded layer is never built and its
    weights cannot be loaded. And when ``build_from_config`` requires a key
    (``config["units"]``) that the inherited ``get_build_config`` never writes. A lone half
    that keeps to the default keys works and is not reported."""

    code = "KS402"
    name = "build-config-pair-incomplete"
    summary = "get_build_config and build_from_config that do not agree on their keys"
    RUNTIME_EVIDENCE = ("was never built", "KeyError", "object has no attribute")
    VALID = [
        '''
import keras

class Proj(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 4))

    def build_from_config(self, config):
        self.build(config["input_shape"])
''',
        '''
import keras

class Proj(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 4))

    def get_build_config(self):
        return {**super().get_build_config(), "features": 4}
''',
        '''
import keras

class Proj(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 4))

    def get_build_config(self):
        return {"features": 4}

    def build_from_config(self, config):
        self.build((None, config["features"]))
''',
    ]
    INVALID = [
        '''
import keras

class Proj(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 4))

    def get_build_config(self):  # expect: KS402
        return {"features": 4}
''',
        '''
import keras

class Proj(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 4))

    def build_from_config(self, config):
        self.build((None, config["features"]))  # expect: KS402
''',
    ]

    def check_class(self, cls, context):
        if cls.kind not in ("layer", "model"):
            return
        getter = cls.find_method("get_build_config")
        builder = cls.find_method("build_from_config")
        if getter is not None and builder is None:
            owner, method = getter
            if owner is not cls or cls.find_method("build") is None:
                return
            if calls_super(method) or mentions_string(method, _DEFAULT_KEYS):
                return
            yield self.finding(
                f"{cls.name}.get_build_config() returns no 'input_shape' and there is no "
                "build_from_config(): the inherited one builds only from 'input_shape', so the "
                "reloaded layer is never built and load_model fails to restore its weights; "
                f"define {cls.name}.build_from_config() that builds from the keys you return, "
                "or merge super().get_build_config()", method.node.name, cls)
        elif builder is not None and getter is None:
            owner, method = builder
            if owner is not cls:
                return
            for key, node in required_reads(method).items():
                if key in _DEFAULT_KEYS:
                    continue
                yield self.finding(
                    f"{cls.name}.build_from_config() reads config[{key!r}] but there is no "
                    f"get_build_config(): the inherited one saves only the input shape, so "
                    f"load_model fails with KeyError: {key!r}; define "
                    f"{cls.name}.get_build_config() returning {key!r}", node, cls)
                return
