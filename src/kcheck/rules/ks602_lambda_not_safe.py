"""KS602: a Python lambda that Keras 3 refuses to load in safe mode."""

from __future__ import annotations

import libcst as cst

from kcheck.callable_arguments import find_callable_arguments
from kcheck.rules.base import Rule

# Slots where a lambda is saved as Python bytecode, which load_model refuses while
# safe_mode=True (the default). Measured, docs/measurements/issue4_module_rules.py (KS602).
_BYTECODE_SLOTS = frozenset({"function", "activation"})


class LambdaNotSafeMode(Rule):
    """A Python ``lambda`` is passed to ``keras.layers.Lambda`` (or as ``activation=``): Keras
    saves it as Python bytecode, and ``load_model`` refuses bytecode by default
    (``safe_mode=True``), so the saved model does not load without ``safe_mode=False``.

    A lambda assigned to a module-level name and then passed is reported too."""

    code = "KS602"
    name = "lambda-not-loadable-in-safe-mode"
    summary = "a lambda in a Lambda layer or activation that load_model refuses in safe mode"
    RUNTIME_EVIDENCE = ("safe_mode", "lambda")
    VALID = [
        '''
import keras

@keras.saving.register_keras_serializable(package="demo")
def shift(t):
    return t + 1.0

layer = keras.layers.Lambda(shift)
ordered = sorted([3, 1], key=lambda v: -v)
''',
    ]
    INVALID = [
        '''
import keras

layer = keras.layers.Lambda(lambda t: t + 1.0)  # expect: KS602
''',
        '''
from keras import layers

double = lambda t: t * 2.0
head = layers.Lambda(double)  # expect: KS602
''',
    ]

    def check_module(self, context):
        constants = context.module.facts.constants
        for argument in find_callable_arguments(context.project, context.module):
            if argument.keyword not in _BYTECODE_SLOTS:
                continue
            value = argument.value
            if isinstance(value, cst.Name) and isinstance(constants.get(value.value), cst.Lambda):
                described = f"the lambda {value.value!r}"
            elif isinstance(value, cst.Lambda):
                described = "a lambda"
            else:
                continue
            yield self.finding(
                f"{argument.callee}() receives {described} as {argument.keyword}=: Keras saves "
                "it as Python bytecode, which load_model refuses by default (safe_mode=True: "
                "\"Requested the deserialization of a `Lambda` layer whose `function` is a "
                "Python lambda\"), so the model does not load; use a named function registered with "
                "@keras.saving.register_keras_serializable", value)
