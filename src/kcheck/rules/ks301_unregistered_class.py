"""KS301: a Keras class that load_model cannot find by name."""

from __future__ import annotations

from kcheck.facts.usage import constructor_sites, is_abstract_base, only_built_by_other_classes
from kcheck.fixes.registration import register
from kcheck.rules.base import Rule


class UnregisteredClass(Rule):
    """A custom Keras class is never registered, so a fresh process cannot find it by name.

    Keras saves a class by its registered name and, at load time, looks it up in the registry
    (or in ``custom_objects``); it imports modules by name only inside the keras family of
    packages. Classes that are only ever built inside another custom class's ``__init__`` or
    ``build`` are rebuilt by that class's constructor and never looked up, and abstract bases
    that are only subclassed are never saved themselves: neither is reported.
    """

    code = "KS301"
    name = "unregistered-class"
    summary = "a custom Keras class that is never registered"
    RUNTIME_EVIDENCE = ("Could not locate class",)
    VALID = [
        '''
import keras

@keras.saving.register_keras_serializable(package="demo")
class Twice(keras.layers.Layer):
    def call(self, x):
        return x * 2.0
''',
        '''
import keras

class Twice(keras.layers.Layer):
    def call(self, x):
        return x * 2.0

model = keras.models.load_model("m.keras", custom_objects={"Twice": Twice})
''',
        '''
import keras

class Inner(keras.layers.Layer):
    def call(self, x):
        return x * 2.0

@keras.saving.register_keras_serializable(package="demo")
class Outer(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = Inner()

    def call(self, x):
        return self.inner(x)
''',
    ]
    INVALID = [
        '''
import keras

class Twice(keras.layers.Layer):  # expect: KS301
    def call(self, x):
        return x * 2.0

keras.saving.get_custom_objects()["demo>Twice"] = Twice
''',
        '''
import keras

class Twice(keras.layers.Layer):  # expect: KS301
    def call(self, x):
        return x * 2.0
''',
        '''
from tensorflow.keras.layers import Layer

class Twice(Layer):  # expect: KS301
    def call(self, x):
        return x * 2.0

inputs = Twice()
''',
    ]
    FIXES = [
        ('''
from keras.saving import register_keras_serializable as register
from keras.layers import Layer

class Twice(Layer):
    def call(self, x):
        return x * 2.0
''', '''
from keras.saving import register_keras_serializable as register
from keras.layers import Layer

@register(package="example")
class Twice(Layer):
    def call(self, x):
        return x * 2.0
'''),
        ('''
"""Layers."""
from tensorflow.keras.layers import Layer

class Twice(Layer):
    def call(self, x):
        return x * 2.0
''', '''
"""Layers."""
from tensorflow.keras.layers import Layer
import tensorflow as tf

@tf.keras.utils.register_keras_serializable(package="example")
class Twice(Layer):
    def call(self, x):
        return x * 2.0
'''),
    ]

    def check_class(self, cls, context):
        if cls.module.in_keras_family:
            return
        if context.registrations.how(cls.name) is not None:
            return
        sites = constructor_sites(context.project, cls)
        if only_built_by_other_classes(context.project, cls, sites):
            return
        if is_abstract_base(context.project, cls):
            return
        yield self.finding(
            f"{cls.name} is never registered: load_model in a fresh process fails with "
            f"\"Could not locate class '{cls.name}'\"; decorate it with "
            "@keras.saving.register_keras_serializable(package=...) or pass it in "
            "custom_objects=", cls.facts.node.name, cls,
            fix=register(cls.module, cls.facts.node,
                         context.settings.get("registration_package")))

