"""KS504: a layer assigns an attribute Keras keeps its own variable and sublayer tracking in."""

from __future__ import annotations

from kcheck.facts.layer_state import makes_layers, tracking_assignments
from kcheck.rules.base import Rule

# Measured (Keras 3.15, a list of two Dense layers assigned in __init__): in a Layer subclass
# _layers and _metrics lose the sublayers' weights silently, the variable stores and
# _seed_generators make saving fail, _tracker fails at the next assignment. In a Model
# subclass _layers and _metrics round-trip, so they are not reported there. An empty list
# assigned to _trainable_variables round-trips, so only values that make layers count.
_SILENT = frozenset({"_layers", "_metrics"})
_MODEL_SAFE = frozenset({"_layers", "_metrics"})


class TrackingAttributeAssigned(Rule):
    """``self._layers = [keras.layers.Dense(4), ...]`` -- sublayers stored under ``_layers``
    (or ``_metrics``, ``_trainable_variables``, ``_non_trainable_variables``,
    ``_seed_generators``, ``_tracker``) in a custom layer.

    These are the names Keras 3's ``Layer`` keeps its tracker and the stores it saves from
    under (generated from the Keras sources: docs/measurements/keras_tracking_attributes.py).
    Assigning one replaces Keras's store with your object. Measured on Keras 3.15 with a list
    of two ``Dense`` layers: ``_layers`` and ``_metrics`` -- the model saves and loads, but
    the sublayers' weights are not restored and the outputs differ; the variable stores and
    ``_seed_generators`` make saving fail; ``_tracker`` fails at the next assignment. The same
    list under your own name (``self._stages``, ``self.blocks``) round-trips. In a
    ``keras.Model`` subclass ``_layers`` and ``_metrics`` round-trip (measured) and are not
    reported; neither is a value that makes no layer (``self._trainable_variables = []``
    round-trips, measured)."""

    code = "KS504"
    name = "tracking-attribute-assigned"
    summary = "a layer assigns an attribute Keras keeps its own weight and sublayer tracking in"
    KERAS_VERSIONS = frozenset({3})
    VALID = [
        '''
import keras

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._layers = [keras.layers.Dense(4)]
        self._trainable_variables = []

    def call(self, x):
        return self._layers[0](x)
''',
        '''
import keras

class Stack(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._stages = [keras.layers.Dense(4), keras.layers.Dense(4)]

    def call(self, x):
        for stage in self._stages:
            x = stage(x)
        return x
''',
    ]
    INVALID = [
        '''
import keras

class Stack(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._layers = [keras.layers.Dense(4), keras.layers.Dense(4)]  # expect: KS504

    def call(self, x):
        for layer in self._layers:
            x = layer(x)
        return x
''',
        '''
import keras

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._trainable_variables = [keras.layers.Dense(4)]  # expect: KS504

    def call(self, x):
        return self._trainable_variables[0](x)
''',
    ]

    def check_class(self, cls, context):
        if cls.kind not in ("layer", "model"):
            return
        for found in tracking_assignments(cls):
            if cls.kind == "model" and found.attribute in _MODEL_SAFE:
                continue
            if found.value is None or not makes_layers(context.project, cls, found.value):
                continue
            if found.attribute in _SILENT:
                breaks = ("the model saves and loads, but what Keras tracked there (sublayers' "
                          "weights) is silently not restored: outputs differ after load_model")
            else:
                breaks = "saving the model fails"
            yield self.finding(
                f"{cls.name}.{found.method}() assigns self.{found.attribute}, the attribute "
                "Keras's Layer keeps its own tracking in: "
                f"{breaks}; keep them under a name of your own (e.g. self._blocks)",
                found.target, cls)
