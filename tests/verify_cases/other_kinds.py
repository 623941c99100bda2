"""One registered, correct object of each non-layer kind, plus a subclassed model."""
import keras

R = keras.saving.register_keras_serializable(package="kcheck_kinds")


@R
class MeanShift(keras.metrics.Mean):
    def __init__(self, shift=0.0, **kwargs):
        super().__init__(**kwargs)
        self.shift = shift

    def update_state(self, y_true, y_pred, sample_weight=None):
        return super().update_state(y_pred + self.shift, sample_weight)

    def get_config(self):
        return {**super().get_config(), "shift": self.shift}


@R
class ConstantPlus(keras.initializers.Initializer):
    def __init__(self, value=1.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return keras.ops.ones(shape, dtype=dtype) * self.value

    def get_config(self):
        return {"value": self.value}


@R
class ScaledL1(keras.regularizers.Regularizer):
    def __init__(self, factor=0.01):
        self.factor = factor

    def __call__(self, w):
        return self.factor * keras.ops.sum(keras.ops.abs(w))


@R
class ClipTo(keras.constraints.Constraint):
    def __init__(self, limit=1.0):
        self.limit = limit

    def __call__(self, w):
        return keras.ops.clip(w, -self.limit, self.limit)

    def get_config(self):
        return {"limit": self.limit}


@R
class Halving(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, initial=0.1, every=5):
        self.initial = initial
        self.every = every

    def __call__(self, step):
        return self.initial * 0.5 ** (step // self.every)

    def get_config(self):
        return {"initial": self.initial, "every": self.every}


@R
class TinyModel(keras.Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units)

    def call(self, x):
        return self.dense(x)

    def get_config(self):
        return {**super().get_config(), "units": self.units}
