"""KS101: a Keras class whose constructor arguments cannot be saved without get_config."""

from __future__ import annotations

from kcheck.facts.arguments import judge_param
from kcheck.facts.effective_config import get_config_raises
from kcheck.facts.generated_config import generated_config, is_required, recorded_params
from kcheck.facts.usage import constructor_sites, is_abstract_base
from kcheck.fixes.config_methods import missing_get_config
from kcheck.fixes.edits import building_fixes
from kcheck.rules.base import Rule

_AUTO_KINDS = ("layer", "model")
# The abstract base of each family whose get_config never records subclass arguments. A
# subclass of a concrete built-in (MeanIoU, Adam) inherits that class's get_config: KS102.
_FAMILY_BASES = {
    "loss": "keras.losses.Loss", "metric": "keras.metrics.Metric",
    "initializer": "keras.initializers.Initializer",
    "regularizer": "keras.regularizers.Regularizer",
    "constraint": "keras.constraints.Constraint",
    "schedule": "keras.optimizers.schedules.LearningRateSchedule",
}


class MissingGetConfig(Rule):
    """A Keras class takes constructor arguments that no get_config records.

    Keras 3 records ``__init__`` arguments by itself only for layers and models built directly
    on ``Layer``/``Model`` and only for basic values (str, int, float, bool, None). A layer or
    callable argument, positional-only parameters or extra ``*args`` make saving fail; losses,
    metrics, initializers, regularizers, constraints and schedules never record arguments, so
    their extra parameters are lost or break loading.
    """

    code = "KS101"
    name = "missing-get-config"
    summary = "constructor arguments that Keras cannot record without get_config"
    VALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
''',
        '''
import keras
from keras import layers as L

class Gate(L.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)

    def get_config(self):
        inner = keras.saving.serialize_keras_object(self.inner)
        return {**super().get_config(), "inner": inner}

    @classmethod
    def from_config(cls, config):
        inner = keras.saving.deserialize_keras_object(config.pop("inner"))
        return cls(inner, **config)
''',
        '''
import keras

class Huber(keras.losses.Loss):
    def __init__(self, name="huber", **kwargs):
        super().__init__(name=name, **kwargs)
''',
        '''
import keras

class Net(keras.Model):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.dense = keras.layers.Dense(2)

    def call(self, x):
        return self.dense(x)
''',
    ]
    INVALID = [
        '''
import keras

class Gate(keras.layers.Layer):  # expect: KS101
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)
''',
        '''
import tensorflow as tf

class Wrap(tf.keras.layers.Layer):  # expect: KS101
    def __init__(self, fn=tf.nn.relu, **kwargs):
        super().__init__(**kwargs)
        self.fn = fn
''',
        '''
from keras.layers import Layer as Base
import keras

class Hold(Base):  # expect: KS101
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

Hold(keras.layers.Dense(4))
''',
        '''
import keras

class Scaled(keras.losses.Loss):  # expect: KS101
    def __init__(self, scale=2.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
''',
    ]
    FIXES = [
        ('''
import keras

class Gate(keras.layers.Layer):
    def __init__(self, inner, rate=0.5, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner
        self.rate = rate

    def call(self, x):
        return self.inner(x) * self.rate
''', '''
import keras

class Gate(keras.layers.Layer):
    def __init__(self, inner, rate=0.5, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner
        self.rate = rate

    def call(self, x):
        return self.inner(x) * self.rate

    def get_config(self):
        config = super().get_config()
        config.update({
            "inner": keras.saving.serialize_keras_object(self.inner),
            "rate": self.rate,
        })
        return config

    @classmethod
    def from_config(cls, config):
        config["inner"] = keras.saving.deserialize_keras_object(config["inner"])
        return cls(**config)
'''),
        ('''
import keras

class Scaled(keras.losses.Loss):
    def __init__(self, scale=2.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
''', '''
import keras

class Scaled(keras.losses.Loss):
    def __init__(self, scale=2.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def get_config(self):
        config = super().get_config()
        config.update({"scale": self.scale})
        return config
'''),
    ]

    def check_class(self, cls, context):
        if cls.find_method("get_config") is not None:
            return
        found = cls.find_method("__init__")
        if found is None:
            return
        kind = cls.kind
        if kind == "optimizer" or is_abstract_base(context.project, cls):
            return
        params = recorded_params(cls)
        if not params:
            return
        where = cls.name
        fix = self._fix(cls, found[1], params, context)
        if context.keras_version == 2:
            names = ", ".join(repr(p.name) for p in params)
            yield self.finding(
                f"{where} has no get_config() but __init__ takes {names}: Keras 2 never records "
                "constructor arguments, so saving the model fails; define get_config() returning "
                "them merged into super().get_config()", cls.facts.node.name, cls, fix=fix)
            return
        if kind not in _AUTO_KINDS:
            if not _nearest_is_family_base(cls, kind):
                return
            names = ", ".join(repr(p.name) for p in params)
            required = [p for p in params if is_required(p)]
            nearest = cls.nearest_keras_base() or ""
            if get_config_raises(nearest):
                effect = (f"and {nearest.rsplit('.', 1)[-1]}.get_config() raises "
                          "NotImplementedError, so model.save() raises it")
            elif required:
                effect = (f"so loading fails: {where}(**config) is called without the required "
                          f"{required[0].name!r}")
            else:
                effect = "so after loading they silently take their defaults"
            yield self.finding(
                f"{where} has no get_config() but __init__ takes {names}: Keras {kind} classes "
                f"never record constructor arguments, {effect}; define get_config() returning "
                "them merged into super().get_config()", cls.facts.node.name, cls, fix=fix)
            return
        generated = generated_config(context.project, cls)
        if generated is None:
            return  # a built-in layer's own get_config applies: KS102's business
        if generated.outcome == "defaults":
            names = ", ".join(repr(p.name) for p in params if p.kind != "var-positional")
            yield self.finding(
                f"{where} has no get_config() but __init__ takes {names}: for Model subclasses "
                "Keras 3 records the defaults, not the values passed, so after load_model the "
                "model silently uses the defaults; define get_config() returning them merged "
                "into super().get_config()", cls.facts.node.name, cls, fix=fix)
            return
        if generated.outcome != "none":
            return
        what = "records only basic constructor values" if kind == "layer" else \
            "records no config at all for it"
        yield self.finding(
            f"{where} has no get_config() and {generated.reason}: Keras 3 {what}, "
            "so model.save() raises NotImplementedError; define get_config() returning "
            "every constructor argument (serialize nested objects and rebuild them in "
            "from_config())", cls.facts.node.name, cls, fix=fix)

    def _fix(self, cls, init, params, context):
        """get_config (and from_config for nested, positional-only and *args values)."""
        if not building_fixes():
            return None  # judging each argument is work only the fix needs
        sites = constructor_sites(context.project, cls)
        nested = {p.name for p in params if p.kind != "var-positional"
                  and judge_param(context.project, cls, p, sites) is not None}
        return missing_get_config(cls, init, params, nested,
                                  not get_config_raises(cls.nearest_keras_base() or ""))


def _nearest_is_family_base(cls, kind: str) -> bool:
    nearest = cls.nearest_keras_base()
    family = _FAMILY_BASES.get(kind)
    return nearest is not None and family is not None and (
        nearest == family or nearest == "keras." + family.rsplit(".", 1)[1])
