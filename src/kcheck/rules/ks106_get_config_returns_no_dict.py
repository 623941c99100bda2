"""KS106: a get_config that returns None on some path, or that calls a base get_config which
raises."""

from __future__ import annotations

from kcheck.facts.effective_config import effective_config
from kcheck.rules.base import Rule


class GetConfigReturnsNoDict(Rule):
    """``get_config`` has a path that ends without ``return`` (Keras gets ``None``), or it calls
    ``super().get_config()`` on a base whose ``get_config`` raises ``NotImplementedError``
    (``keras.regularizers.Regularizer``, ``keras.optimizers.schedules.LearningRateSchedule``):
    either way ``model.save()`` fails."""

    code = "KS106"
    name = "get-config-returns-no-dict"
    summary = "get_config() returns None on some path or calls a base get_config that raises"
    VALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):
        config = super().get_config()
        if self.factor != 1.0:
            config["factor"] = self.factor
        return config
''',
        '''
import keras

class L1(keras.regularizers.Regularizer):
    def __init__(self, c=0.1):
        self.c = c

    def __call__(self, w):
        return self.c * keras.ops.sum(keras.ops.abs(w))

    def get_config(self):
        return {"c": self.c}
''',
        '''
import keras

class Abstract(keras.layers.Layer):
    def get_config(self):
        raise NotImplementedError
''',
    ]
    INVALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def get_config(self):  # expect: KS106
        config = super().get_config()
        config["factor"] = self.factor
''',
        '''
import keras

class L1(keras.regularizers.Regularizer):
    def __init__(self, c=0.1):
        self.c = c

    def __call__(self, w):
        return self.c * keras.ops.sum(keras.ops.abs(w))

    def get_config(self):  # expect: KS106
        return {**super().get_config(), "c": self.c}
''',
        '''
import keras

class Flat(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, lr=0.1):
        self.lr = lr

    def __call__(self, step):
        return self.lr

    def get_config(self):  # expect: KS106
        config = super().get_config()
        config.update({"lr": self.lr})
        return config
''',
    ]

    def check_class(self, cls, context):
        config = cls.facts.config()
        if config is None:
            return
        node = cls.facts.method("get_config").node.name
        if config.falls_off_end:
            how = ("never returns" if not config.returns_value
                   else "has a path that ends without return")
            yield self.finding(
                f"{cls.name}.get_config() {how}, so it gives Keras None: model.save() fails with "
                "TypeError: The `get_config()` method ... should return a dict; end every path "
                "with return config", node, cls)
            return
        if not config.value.merges_super:
            return
        effective = effective_config(cls)
        if effective is not None and effective.raises and effective.builtin is not None:
            base = effective.builtin.rsplit(".", 1)[-1]
            yield self.finding(
                f"{cls.name}.get_config() calls super().get_config(), but {base}.get_config() "
                "raises NotImplementedError: model.save() fails; build the dict without "
                "super().get_config()", node, cls)
