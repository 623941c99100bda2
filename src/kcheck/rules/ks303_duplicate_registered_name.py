"""KS303: two objects of one module registered under the same package>name."""

from __future__ import annotations

from kcheck.rules.base import Rule


class DuplicateRegisteredName(Rule):
    """Two classes or functions of a module are registered under the same ``package>name``.

    Keras keeps one object per registered name: the later registration silently replaces the
    earlier one in the registry, while the earlier object still *saves* under that name. A model
    saved with the earlier object reloads with the later one. Only definitions directly in the
    module body are compared, so alternatives in ``if``/``try`` branches are not reported."""

    code = "KS303"
    name = "duplicate-registered-name"
    summary = "two objects registered under the same package>name"
    VALID = [
        '''
import keras

@keras.saving.register_keras_serializable(package="demo", name="Scale")
class Double(keras.layers.Layer):
    def call(self, x):
        return x * 2.0

@keras.saving.register_keras_serializable(package="other", name="Scale")
class Triple(keras.layers.Layer):
    def call(self, x):
        return x * 3.0
''',
    ]
    INVALID = [
        '''
import keras

@keras.saving.register_keras_serializable(package="demo", name="Scale")
class Double(keras.layers.Layer):
    def call(self, x):
        return x * 2.0

@keras.saving.register_keras_serializable(package="demo", name="Scale")
class Triple(keras.layers.Layer):  # expect: KS303
    def call(self, x):
        return x * 3.0
''',
        '''
from keras.saving import register_keras_serializable

@register_keras_serializable("acts", "act")
def twice(x):
    return x * 2.0

@register_keras_serializable(package="acts", name="act")
def thrice(x):  # expect: KS303
    return x * 3.0
''',
    ]

    def check_module(self, context):
        facts = context.module.facts
        top_level = {id(statement): index
                     for index, statement in enumerate(context.module.tree.body)}
        owners: dict[tuple[str, str], list[tuple[int, str, object]]] = {}
        for python_name, names in context.registrations.registered_names.items():
            definition = facts.classes.get(python_name) or facts.functions.get(python_name)
            if definition is None or id(definition.node) not in top_level:
                continue
            for registered in set(names):
                owners.setdefault(registered, []).append(
                    (top_level[id(definition.node)], python_name, definition.node))
        for (package, name), defined in owners.items():
            if len(defined) < 2:
                continue
            defined.sort(key=lambda item: item[0])
            first = defined[0][1]
            for _, python_name, node in defined[1:]:
                yield self.finding(
                    f"{python_name} is registered as '{package}>{name}', which {first} already "
                    f"uses: the registry keeps only {python_name}, so a model saved with "
                    f"{first} silently reloads with {python_name} (or fails to load); give "
                    "each a distinct name= or package=", node.name)
