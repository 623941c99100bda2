"""KS102: the effective get_config leaves out a constructor argument, or emits a key that no
constructor parameter takes."""

from __future__ import annotations

import libcst as cst

from kcheck.facts.cst_walk import dotted_name, walk
from kcheck.facts.effective_config import effective_config, held_in_attribute, is_family_root
from kcheck.facts.init_chain import accepts_keyword, base_keys, kind_noun, mentions
from kcheck.facts.usage import is_abstract_base, only_built_by_other_classes
from kcheck.fixes.config_methods import omitted_key
from kcheck.rules.base import Rule

_WIDTH = 24  # longest default value quoted in a message


class GetConfigOmitsArgument(Rule):
    """The ``get_config`` a class really runs (its own, a custom ancestor's, or a built-in
    base's such as ``Dense.get_config``) does not return one of the ``__init__`` arguments, or
    returns a key that ``__init__`` does not take.

    Keras rebuilds the object with ``cls(**config)``: a left-out argument silently takes its
    default (or loading fails when it is required), and an unknown key makes loading fail.
    Reported only when every key of the returned dict can be read, and not for arguments a
    custom ``from_config`` supplies or a ``load_assets`` restores.
    """

    code = "KS102"
    name = "get-config-omits-argument"
    summary = "get_config() leaves out an __init__ argument or emits an unknown key"
    VALID = [
        '''
import keras

class Affine(keras.layers.Layer):
    def __init__(self, scale=1.0, shift=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.shift = scale, shift

    def get_config(self):
        config = super().get_config()
        config.update({"scale": self.scale, "shift": self.shift})
        return config
''',
        '''
import keras

class Wide(keras.layers.Dense):
    def __init__(self, units=64, activation="relu", **kwargs):
        super().__init__(units, activation=activation, **kwargs)
''',
        '''
import keras

class Proj(keras.layers.Layer):
    def __init__(self, h=4, **kwargs):
        super().__init__(**kwargs)
        self.h = h

    def get_config(self):
        return {**super().get_config(), "hidden": self.h}

    @classmethod
    def from_config(cls, config):
        return cls(h=config.pop("hidden"), **config)
''',
        '''
import keras

class Lookup(keras.layers.Layer):
    def __init__(self, vocabulary=None, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary = vocabulary

    def get_config(self):
        return super().get_config()

    def save_assets(self, dir_path):
        ...

    def load_assets(self, dir_path):
        ...
''',
        '''
import keras

class Opaque(keras.layers.Layer):
    def __init__(self, a=1.0, **kwargs):
        super().__init__(**kwargs)
        self.a = a

    def get_config(self):
        config = super().get_config()
        config.update(self.extra_config())
        return config
''',
    ]
    INVALID = [
        '''
import keras

class Affine(keras.layers.Layer):
    def __init__(self, scale=1.0, shift=0.0, **kwargs):  # expect: KS102
        super().__init__(**kwargs)
        self.scale, self.shift = scale, shift

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}
''',
        '''
import keras

class Scaled(keras.layers.Dense):
    def __init__(self, units, scale=1.0, **kwargs):  # expect: KS102
        super().__init__(units, **kwargs)
        self.scale = scale
''',
        '''
import keras

class Proj(keras.layers.Layer):
    def __init__(self, h=4, **kwargs):
        super().__init__(**kwargs)
        self.h = h

    def get_config(self):
        return {**super().get_config(), "h": self.h, "hidden": self.h}  # expect: KS102
''',
    ]
    FIXES = [
        ('''
import keras

class Affine(keras.layers.Layer):
    def __init__(self, scale=1.0, shift=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.shift = scale, shift

    def get_config(self):
        return {**super().get_config(), 'scale': self.scale}
''', '''
import keras

class Affine(keras.layers.Layer):
    def __init__(self, scale=1.0, shift=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.shift = scale, shift

    def get_config(self):
        return {**super().get_config(), 'scale': self.scale, 'shift': self.shift}
'''),
        ('''
import keras

class Scaled(keras.layers.Dense):
    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(units, **kwargs)
        self._scale = scale
''', '''
import keras

class Scaled(keras.layers.Dense):
    def __init__(self, units, scale=1.0, **kwargs):
        super().__init__(units, **kwargs)
        self._scale = scale

    def get_config(self):
        config = super().get_config()
        config["scale"] = self._scale
        return config
'''),
    ]

    def check_class(self, cls, context):
        if cls.facts.method("__init__") is None and cls.facts.method("get_config") is None:
            return
        found = cls.find_method("__init__")
        config = effective_config(cls)
        if found is None or config is None:
            return
        own_is_here = config.owner is cls and config.own is not None
        if config.raises:
            # The base's get_config raises (KS106): what it would add is unknown, but a key of
            # the class's own dict that no parameter takes is a mistake of its own.
            if own_is_here and cls.find_method("from_config") is None:
                yield from self._unknown_keys(cls, config)
            return
        if not config.complete:
            return
        if config.owner is None and is_family_root(config.builtin or ""):
            return  # no get_config at all on a Loss, Constraint, ...: KS101 reports it
        if is_abstract_base(context.project, cls) or \
                only_built_by_other_classes(context.project, cls):
            return  # never rebuilt from its own config
        init_owner, init = found
        from_config = cls.find_method("from_config")
        restores = cls.find_method("load_assets") is not None
        carried = config.keys | base_keys(cls.kind)
        emitted = set(config.own.value.keys) if config.own is not None else set()
        if not restores:
            for param in init.params:
                if param.kind in ("var-positional", "var-keyword") or param.name in carried:
                    continue
                if from_config is not None and mentions(from_config[1], param.name):
                    continue
                if not mentions(init, param.name):
                    continue  # accepted and ignored: nothing to lose
                if _restored_as_weights(init, param.name) or \
                        _folded_into_key(init, param.name, emitted):
                    continue
                yield self._omitted(cls, config, init_owner, init, param)
        if own_is_here and from_config is None:
            yield from self._unknown_keys(cls, config)

    def _omitted(self, cls, config, init_owner, init, param):
        attr = held_in_attribute(init.self_assignments, param.name)
        value = f"self.{attr}" if attr else f"self.{param.name}"
        entry = f'"{param.name}": {value}'
        noun = kind_noun(cls.kind)
        if param.default is None:
            effect = (f"load_model fails because __init__ requires {param.name!r} "
                      "(TypeError: missing required argument)")
        else:
            default = cst.Module([]).code_for_node(param.default)
            if len(default) > _WIDTH:
                default = "its default"
            else:
                default = f"{param.name}={default}"
            effect = f"after load_model the {noun} silently uses {default}"
        store = "" if attr else f" (store it as self.{param.name} in __init__)"
        if config.owner is cls:
            where = f"{cls.name}.get_config() omits {param.name!r}"
            fix = f"add {entry} to the returned dict{store}"
        else:
            where = f"{cls.name} inherits {config.source}, which omits {param.name!r}"
            fix = (f"override get_config() to return {{**super().get_config(), {entry}}}"
                   f"{store}")
        if init_owner is cls:
            node = param.node.name
        elif config.owner is cls:
            node = cls.facts.method("get_config").node.name
        else:
            node = cls.facts.node.name
        return self.finding(f"{where}: {effect}; {fix}", node, cls,
                            fix=omitted_key(cls, init, param, config.owner is cls))

    def _unknown_keys(self, cls, config):
        for key, value in config.own.value.keys.items():
            if accepts_keyword(cls, key) is not False:
                continue
            node = config.own.value.key_nodes.get(key, value)
            yield self.finding(
                f"{cls.name}.get_config() emits {key!r}, which no __init__ parameter takes: "
                f"load_model fails because {cls.name}(**config) rejects the unexpected keyword "
                f"{key!r}; rename the key to the matching __init__ parameter or map it back in "
                "a @classmethod from_config()", node, cls)


def _restored_as_weights(init, name: str) -> bool:
    """The argument only seeds variables (``self.set_weights(weights)``,
    ``self._create_variables(params)``): the weights file restores it."""
    for call in init.calls:
        callee = (dotted_name(call.func) or "").rsplit(".", 1)[-1].lower()
        if "weight" not in callee and "variable" not in callee:
            continue
        for arg in call.args:
            if any(isinstance(n, cst.Name) and n.value == name for n in walk(arg.value)):
                return True
    return False


def _folded_into_key(init, name: str, carried: set[str]) -> bool:
    """``batch_shape = (batch_size,) + shape``: the argument is folded into another parameter
    that the config does carry."""
    for node in walk(init.node.body):
        if not isinstance(node, cst.Assign):
            continue
        targets = [t.target for t in node.targets]
        if not any(isinstance(t, cst.Name) and t.value in carried and t.value != name
                   for t in targets):
            continue
        if any(isinstance(n, cst.Name) and n.value == name for n in walk(node.value)):
            return True
    return False
