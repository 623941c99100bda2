"""KS302: a module-level function handed to Keras that load_model cannot find by name."""

from __future__ import annotations

from kcheck.facts import keras_names
from kcheck.facts.callable_arguments import find_callable_arguments
from kcheck.facts.cst_walk import dotted_name
from kcheck.facts.registrations import find_registrations
from kcheck.fixes.registration import register
from kcheck.rules.base import Rule


class UnregisteredFunction(Rule):
    """A function of the project is passed to Keras as ``activation=``, ``loss=``,
    ``metrics=[...]``, ``*_initializer=``, ``*_regularizer=``, ``*_constraint=`` or to
    ``keras.layers.Lambda`` / ``keras.layers.Activation``, and is never registered.

    Keras saves such a function by its name and, in a fresh process, finds it only in the
    registry or in ``custom_objects``: ``load_model`` fails with "Could not locate function".
    Activations, initializers, regularizers, constraints and ``Lambda`` functions fail even with
    ``compile=False``; losses and metrics fail with the default ``compile=True``.
    Functions defined inside other functions, and library functions, are not reported.
    """

    code = "KS302"
    name = "unregistered-function"
    summary = "a project function passed to Keras (activation, loss, ...) that is never registered"
    RUNTIME_EVIDENCE = ("Could not locate function", "Could not interpret")
    VALID = [
        '''
import keras

@keras.saving.register_keras_serializable(package="demo")
def twice(x):
    return x * 2.0

layer = keras.layers.Dense(4, activation=twice)
''',
        '''
import keras

def twice(x):
    return x * 2.0

layer = keras.layers.Dense(4, activation=twice)
model = keras.models.load_model("m.keras", custom_objects={"twice": twice})
''',
        '''
import keras
import numpy as np

layer = keras.layers.Dense(4, activation=keras.activations.relu)
other = keras.layers.Dense(4, activation="relu", kernel_initializer=np.ones)
''',
        '''
import keras

def smooth(x):
    return x

class Block:
    def compile(self, loss=None):
        pass

def unrelated(fn=smooth):
    return sorted([3, 1], key=smooth)
''',
    ]
    INVALID = [
        '''
import keras

def twice(x):
    return x * 2.0

def my_init(shape, dtype=None):
    return keras.ops.ones(shape, dtype=dtype)

layer = keras.layers.Dense(4, activation=twice,  # expect: KS302
                           kernel_initializer=my_init)  # expect: KS302
''',
        '''
import keras
from keras import layers, ops

def rmse(y_true, y_pred):
    return ops.sqrt(ops.mean(ops.square(y_true - y_pred)))

def build():
    model = keras.Sequential([layers.Dense(1)])
    model.compile(optimizer="adam", loss=rmse, metrics=["mae", rmse])  # expect: KS302, KS302
    return model
''',
        '''
import keras

def shift(t):
    return t + 1.0

lam = keras.layers.Lambda(shift)  # expect: KS302
''',
    ]
    FIXES = [
        ('''
import tensorflow as tf

def twice(x):
    return x * 2.0

layer = tf.keras.layers.Dense(4, activation=twice)
''', '''
import tensorflow as tf

@tf.keras.utils.register_keras_serializable(package="example")
def twice(x):
    return x * 2.0

layer = tf.keras.layers.Dense(4, activation=twice)
'''),
    ]

    def check_module(self, context):
        project, module = context.project, context.module
        own_registrations = {module.path: context.registrations}
        for argument in find_callable_arguments(project, module):
            target = argument.target
            if target is None or target.kind != "function" or target.function is None:
                continue
            home = target.module or module
            if home.top_package in keras_names.KERAS_FAMILY_PACKAGES:
                continue
            written = dotted_name(argument.value) or ""
            if context.registrations.how(written) is not None:
                continue
            if home.path not in own_registrations:
                home = project.complete(target).module or home  # its decorators and calls
                own_registrations[home.path] = find_registrations(
                    project, home, frozenset(context.settings.get("extra_decorators", ())))
            if own_registrations[home.path].how(target.function.name) is not None:
                continue
            name = target.function.name
            when = ("with the default compile=True"
                    if argument.keyword in ("loss", "metrics", "weighted_metrics", "fn",
                                            "learning_rate")
                    else "even with compile=False")
            yield self.finding(
                f"function {name!r} is passed as {argument.keyword}= to {argument.callee}() but "
                f"never registered: load_model in a fresh process fails ({when}) with "
                f"\"Could not locate function '{name}'\"; decorate it with "
                "@keras.saving.register_keras_serializable(package=...) or pass it in "
                "custom_objects=", argument.value, fix=self._fix(context, home, target))

    def _fix(self, context, home, target):
        """Decorate the function where it is defined, when that is this module."""
        if home.path != context.module.path:
            return None  # a fix edits only the file being checked
        return register(home, target.function.node, context.settings.get("registration_package"))
