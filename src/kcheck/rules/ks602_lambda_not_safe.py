"""KS602: a Python lambda that Keras 3 refuses to load in safe mode."""

from __future__ import annotations

import libcst as cst

from kcheck.facts.callable_arguments import find_callable_arguments
from kcheck.rules.base import Rule

_COMPILE_SLOTS = frozenset({"loss", "metrics", "weighted_metrics"})


class LambdaNotSafeMode(Rule):
    """A Python ``lambda`` is handed to Keras where it is saved, and the saved model does not
    load (measured, Keras 3.15):

    - ``keras.layers.Lambda(lambda ...)``: saved as bytecode, which ``load_model`` refuses by
      default (``safe_mode=True``);
    - ``loss=``/``metrics=`` in ``compile()``: refused the same way with the default
      ``compile=True``;
    - ``activation=``, ``*_initializer=``, ``*_regularizer=``, ``*_constraint=``,
      ``keras.layers.Activation(lambda ...)``: the layer cannot turn the saved bytecode back
      into a function, so loading fails even with ``safe_mode=False``.

    A lambda assigned to a module-level name and then passed is reported too."""

    code = "KS602"
    KERAS_VERSIONS = frozenset({3})  # safe_mode is Keras 3's
    name = "unloadable-lambda"
    summary = ("a lambda passed to Keras (Lambda layer, activation, loss, ...) that load_model "
               "refuses")
    RUNTIME_EVIDENCE = ("Python lambda", "Could not interpret")
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
dense = layers.Dense(4, activation=lambda t: t * 2.0)  # expect: KS602
''',
        '''
import keras

model = keras.Sequential([keras.layers.Dense(1)])
model.compile(loss=lambda a, b: keras.ops.mean((a - b) ** 2))  # expect: KS602
''',
    ]

    def check_module(self, context):
        constants = context.module.facts.constants
        for argument in find_callable_arguments(context.project, context.module):
            value = argument.value
            if isinstance(value, cst.Name) and isinstance(constants.get(value.value), cst.Lambda):
                described = f"the lambda {value.value!r}"
            elif isinstance(value, cst.Lambda):
                described = "a lambda"
            else:
                continue
            yield self.finding(
                f"{argument.callee}() receives {described} as {argument.keyword}=: "
                f"{_consequence(argument.keyword)}; use a named module-level function "
                "registered with @keras.saving.register_keras_serializable", value)


def _consequence(keyword: str) -> str:
    if keyword == "function":
        return ("Keras saves it as Python bytecode, which load_model refuses by default "
                "(safe_mode=True: \"Requested the deserialization of a `Lambda` layer whose "
                "`function` is a Python lambda\"), so loading fails")
    if keyword in _COMPILE_SLOTS:
        return ("Keras saves it as Python bytecode, which load_model refuses with the default "
                "compile=True and safe_mode=True (\"Requested the deserialization of a Python "
                "lambda\"), so loading fails")
    return ("Keras saves it as bytecode that the reloaded layer cannot turn back into a "
            "function, so load_model fails even with safe_mode=False (\"Could not interpret "
            f"{keyword.split('_')[-1]} ... identifier\")")
