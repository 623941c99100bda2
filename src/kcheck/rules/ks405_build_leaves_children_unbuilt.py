"""KS405: a Model subclass whose build() leaves its child layers unbuilt."""

from __future__ import annotations

from kcheck.facts.layer_state import unbuilt_children
from kcheck.rules.base import Rule, version_before

# Measured: up to Keras 3.0.1 load_model raises "was never built"; from 3.0.2 the model loads
# without the children's weights (bisected over 3.0.0-3.0.5).
_SILENT_SINCE = (3, 0, 2)


class BuildLeavesChildrenUnbuilt(Rule):
    """A ``keras.Model`` subclass defines ``build()`` but that ``build()`` neither builds nor
    calls some of the child layers the class creates in ``__init__`` or ``build()``.

    ``load_model`` rebuilds a subclassed model by calling its ``build()`` with the saved input
    shape and then loads the weights; it does not run the forward pass first. Children that
    ``build()`` does not build have no variables at that moment. Measured: Keras 3.0.0 and
    3.0.1 fail to load (``Layer 'dense' was never built and thus it doesn't have any variables.
    However the weights file lists 2 variables for this layer``); from 3.0.2 on (3.0.2-3.0.5,
    3.3.3, 3.15.1) the model loads *silently without those weights* (outputs differ). The
    message follows the targeted release. A model without its own
    ``build()`` round-trips on all four (Keras runs the forward pass symbolically), and so do
    composite *layers* whose ``build()`` leaves children unbuilt, inside a Sequential or
    functional model (docs/keras_facts.md).

    A child counts as built when ``build()`` (or a method of the class it calls) mentions it
    at all -- ``self.block.build(shape)``, ``self.block(x)``, a loop over ``self.blocks`` -- or
    runs the forward pass (``self(...)``, ``self.call(...)``)."""

    code = "KS405"
    name = "build-leaves-children-unbuilt"
    summary = "a Model subclass whose build() leaves its child layers unbuilt"
    KERAS_VERSIONS = frozenset({3})
    # Measured on 3.0.0 (load fails), 3.0.5, 3.3.3 and 3.15.1 (silent weight loss).
    KERAS_RANGE = ("3.0", None)
    VALID = [
        '''
import keras

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(4)

    def build(self, input_shape):
        self.inner.build(input_shape)
        self.scale = self.add_weight(shape=(4,), initializer="ones")

    def call(self, x):
        return self.inner(x) * self.scale


class Plain(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(4)

    def call(self, x):
        return self.inner(x)


class Wrapped(keras.Model):
    def build(self, input_shape):
        inputs = keras.Input(input_shape[1:])
        self.graph = keras.Model(inputs, keras.layers.Dense(4)(inputs))

    def call(self, x):
        return self.graph(x)
''',
    ]
    INVALID = [
        '''
import keras

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.inner = keras.layers.Dense(4)

    def build(self, input_shape):  # expect: KS405
        self.scale = self.add_weight(shape=(4,), initializer="ones")

    def call(self, x):
        return self.inner(x) * self.scale
''',
    ]

    def check_class(self, cls, context):
        if cls.kind != "model":
            return
        children = unbuilt_children(context.project, cls)
        if not children:
            return
        names = ", ".join(f"self.{name}" for name in children)
        build = cls.facts.method("build")
        if version_before(context.keras_target or (3,), _SILENT_SINCE):
            what = "load_model fails with \"Layer ... was never built\""
        else:
            what = ("the model loads without their weights, silently: outputs differ after "
                    "load_model")
        yield self.finding(
            f"{cls.name}.build() never builds {names}: load_model calls build() and then "
            f"loads the weights without running the model, so {what}; build each child in "
            "build() (self.inner.build(input_shape)) or drop build() and let Keras run "
            "call()", build.node.name, cls)
