"""KS201: get_config emits a nested Keras object that from_config never rebuilds."""

from __future__ import annotations

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.arguments import judge_param
from kcheck.facts.cst_walk import dotted_name, walk
from kcheck.facts.project import ClassInfo
from kcheck.facts.usage import constructor_sites
from kcheck.fixes.config_methods import deserializing_from_config
from kcheck.rules.base import Rule


class NestedNotDeserialized(Rule):
    """get_config returns a layer, model or other Keras object for a constructor argument, and
    no from_config turns the saved dict back into an object, so the constructor receives a dict
    at load time."""

    code = "KS201"
    name = "nested-object-not-deserialized"
    summary = "a nested Keras object in get_config that from_config does not deserialize"
    VALID = [
        '''
import keras

class Wrap(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def get_config(self):
        return {**super().get_config(),
                "inner": keras.saving.serialize_keras_object(self.inner)}

    @classmethod
    def from_config(cls, config):
        inner = keras.saving.deserialize_keras_object(config.pop("inner"))
        return cls(inner, **config)
''',
        '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
''',
    ]
    INVALID = [
        '''
import keras

class Wrap(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def get_config(self):
        config = super().get_config()
        config["inner"] = keras.saving.serialize_keras_object(self.inner)  # expect: KS201
        return config
''',
        '''
from keras import layers

class Stack(layers.Layer):
    def __init__(self, head=None, **kwargs):
        super().__init__(**kwargs)
        self.head = head or layers.Dense(2)

    def call(self, x):
        return self.head(x)

    def get_config(self):
        return {
            **super().get_config(),
            "head": layers.serialize(self.head),  # expect: KS201
        }
''',
    ]
    FIXES = [
        ('''
from tensorflow import keras

class Wrap(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def get_config(self):
        config = super().get_config()
        config["inner"] = keras.layers.serialize(self.inner)
        return config
''', '''
from tensorflow import keras

class Wrap(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def get_config(self):
        config = super().get_config()
        config["inner"] = keras.layers.serialize(self.inner)
        return config

    @classmethod
    def from_config(cls, config):
        config["inner"] = keras.utils.deserialize_keras_object(config["inner"])
        return cls(**config)
'''),
    ]

    def check_class(self, cls, context):
        config = cls.facts.config()
        if config is None:
            return
        init = cls.find_method("__init__")
        if init is None:
            return
        params = {p.name for p in init[1].params}
        from_config = cls.find_method("from_config")
        if from_config is not None and _deserializes(context, from_config[0], from_config[1]):
            return
        flagged = []
        for key, value in config.value.keys.items():
            if key not in params or _fate(context, init[0], init[1], key) != "stored":
                continue
            what = _keras_object(context, cls, value)
            if what is not None:
                flagged.append((key, value, what))
        # One from_config deserializes every nested key: fixing them one by one would stop at
        # the first, since any deserializing from_config silences the rule.
        repair = deserializing_from_config(
            cls, {key: what.startswith("a list") for key, _, what in flagged}) if flagged else None
        for key, value, what in flagged:
            fix = ("make from_config() deserialize it with keras.saving.deserialize_keras_object"
                   if from_config is not None else
                   "add a @classmethod from_config() that rebuilds it with "
                   "keras.saving.deserialize_keras_object before calling cls(**config)")
            yield self.finding(
                f"{cls.name}.get_config() emits {key!r} as {what}, but nothing deserializes it: "
                f"load_model passes a dict to __init__({key}=...) and loading fails; {fix}",
                config.value.key_nodes.get(key, value), cls, fix=repair)


def _deserializes(context, owner: ClassInfo, method) -> bool:
    for call in method.calls:
        name = dotted_name(call.func)
        if name is None:
            continue
        target = context.project.resolve(owner.module, name)
        if target.kind == "keras" and (keras_names.is_deserializer(target.name)):
            return True
        if name.endswith(".from_config") and not name.startswith("cls.") \
                and not name.startswith("super"):
            return True
    return False


def _stored_as_is(init, param: str) -> bool:
    """__init__ keeps the argument itself (``self.inner = inner`` or ``inner or Dense(2)``), so a
    dict arriving at load time is used where an object is expected."""
    for value in init.self_assignments.values():
        if isinstance(value, cst.BooleanOperation):
            value = value.left
        if isinstance(value, cst.Name) and value.value == param:
            return True
    return False


def _fate(context, owner: ClassInfo, init, param: str, depth: int = 0) -> str:
    """Where the value of *param* ends up: "handed" when some call on the way accepts a
    serialized config, "stored" when an ``__init__`` of the chain keeps it as it is (following
    ``super().__init__(inner)`` into the project's own base classes), "" otherwise."""
    stored = _stored_as_is(init, param)
    for call in init.calls:
        if not any(isinstance(node, cst.Name) and node.value == param
                   for arg in call.args for node in walk(arg.value)):
            continue
        parent = _parent_init(context, owner, call)
        if parent is not None:
            if parent[0] is None:
                return "handed"  # a Keras base's __init__ (RNN(cell), Bidirectional(layer))
            ancestor, parent_init, skip = parent
            target = _parameter_receiving(call, param, parent_init, skip)
            if target is None or depth > 8:
                return "handed"  # passed where we cannot follow: assume it is handled
            fate = _fate(context, ancestor, parent_init, target, depth + 1)
            if fate == "handed":
                return "handed"
            stored = stored or fate == "stored"
            continue
        if _handed_on(context, owner, call):
            return "handed"
    return "stored" if stored else ""


def _parent_init(context, owner: ClassInfo, call: cst.Call):
    """For ``super().__init__(...)`` or ``Base.__init__(self, ...)``: (the project ancestor
    whose __init__ runs, that __init__, positional arguments to skip), or (None, None, 0) when
    a Keras base's runs; None for any other call."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "__init__"):
        return None
    receiver = func.value
    if isinstance(receiver, cst.Call) and dotted_name(receiver.func) == "super":
        candidates, skip = owner.ancestors, 0
    else:
        name = dotted_name(receiver)
        target = context.project.resolve(owner.module, name) if name else None
        if target is None or target.kind != "class" or target.cls is None:
            return (None, None, 0)
        start = next((a for a in owner.ancestors if a.facts is target.cls), None)
        if start is None:
            return (None, None, 0)
        candidates, skip = [start, *start.ancestors], 1
    for ancestor in candidates:
        parent_init = ancestor.facts.method("__init__")
        if parent_init is not None:
            return ancestor, parent_init, skip
    return (None, None, 0)


def _parameter_receiving(call: cst.Call, param: str, parent_init, skip: int) -> str | None:
    """The parent __init__ parameter that receives the argument mentioning *param*."""
    positional = [p for p in parent_init.params if p.kind in ("positional-only", "positional")]
    index = -skip
    for arg in call.args:
        mentioned = any(isinstance(n, cst.Name) and n.value == param for n in walk(arg.value))
        if arg.keyword is not None:
            if mentioned:
                return arg.keyword.value
            continue
        if arg.star:
            if mentioned:
                return None
            continue
        if mentioned and index >= 0:
            return positional[index].name if index < len(positional) else None
        index += 1
    return None


def _handed_on(context, owner: ClassInfo, call: cst.Call) -> bool:
    """The call accepts a serialized config: a Keras deserializer or ``*.get``, or a Keras or
    project constructor."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "get":
        return True  # initializers.get(x)
    name = dotted_name(func)
    if name is None:
        return False
    target = context.project.resolve(owner.module, name)
    if target.kind == "class":
        return True
    return target.kind == "keras" and (keras_names.is_deserializer(target.name)
                                       or keras_names.is_keras_constructor(target.name))


def _keras_object(context, cls: ClassInfo, value: cst.BaseExpression) -> str | None:
    """Describe *value* when it evaluates to (a serialized) Keras object, else None."""
    if isinstance(value, (cst.List, cst.Tuple)):
        for element in value.elements:
            inner = _keras_object(context, cls, element.value)
            if inner is not None:
                return f"a list holding {inner}"
        return None
    if isinstance(value, (cst.ListComp, cst.GeneratorExp)):
        inner = _keras_object(context, cls, value.elt)
        return f"a list of {inner}" if inner is not None else None
    if isinstance(value, cst.Call):
        name = dotted_name(value.func)
        if name is None:
            return None
        if name.endswith(".get_config") and _attribute_object(context, cls, value.func.value):
            return "a nested layer's config"
        target = context.project.resolve(cls.module, name)
        if target.kind == "keras" and keras_names.is_serializer(target.name):
            return f"{name}(...)"
        return None
    described = _attribute_object(context, cls, value)
    return f"the object self.{described}" if described else None


def _attribute_object(context, cls: ClassInfo, value: cst.BaseExpression) -> str | None:
    if not (isinstance(value, cst.Attribute) and isinstance(value.value, cst.Name)
            and value.value.value == "self"):
        return None
    attr = value.attr.value
    for owner in cls.lineage():
        init = owner.facts.method("__init__")
        if init is None or attr not in init.self_assignments:
            continue
        assigned = init.self_assignments[attr]
        if isinstance(assigned, cst.BooleanOperation):
            assigned = assigned.right  # self.head = head or layers.Dense(2)
        if isinstance(assigned, cst.Call):
            name = dotted_name(assigned.func)
            target = context.project.resolve(owner.module, name) if name else None
            if target is not None and target.kind == "keras" and \
                    keras_names.is_keras_constructor(target.name):
                return attr
            if target is not None and target.kind == "class":
                return attr
            return None
        if isinstance(assigned, cst.Name):
            param = init.param(assigned.value)
            if param is not None and judge_param(
                    context.project, owner, param, constructor_sites(context.project, owner)):
                return attr
        return None
    return None
