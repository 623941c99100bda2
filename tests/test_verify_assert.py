"""assert_roundtrip, the helper users call in their own tests: it reloads in a fresh process,
which imports this very module to find the classes below."""
import os
import sys

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
if SRC not in sys.path:
    sys.path.insert(0, SRC)

from kcheck.verify import assert_roundtrip  # noqa: E402


@keras.saving.register_keras_serializable(package="kcheck_assert")
class GoodShift(keras.layers.Layer):
    def __init__(self, shift=0.0, **kwargs):
        super().__init__(**kwargs)
        self.shift = shift

    def call(self, x):
        return x + self.shift

    def get_config(self):
        return {**super().get_config(), "shift": self.shift}


@keras.saving.register_keras_serializable(package="kcheck_assert")
class ForgetfulShift(GoodShift):
    def get_config(self):
        config = super().get_config()
        del config["shift"]
        return config


class UnregisteredShift(GoodShift):
    pass


@keras.saving.register_keras_serializable(package="kcheck_assert")
class ScaledLoss(keras.losses.Loss):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, y_true, y_pred):
        return self.factor * keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


X = np.linspace(0.1, 1.0, 8, dtype="float32").reshape(2, 4)


def test_good_layer_passes():
    assert_roundtrip(GoodShift(2.0, name="shifter"), X)


def test_forgetful_layer_raises_with_the_change():
    with pytest.raises(AssertionError) as info:
        assert_roundtrip(ForgetfulShift(2.0), X)
    message = str(info.value)
    assert "config key 'shift': 2.0 -> 0.0 (get_config() omits it)" in message
    assert "outputs differ (max abs diff 2)" in message


def test_unregistered_layer_inside_a_model_fails_in_the_fresh_process():
    inputs = keras.Input((4,))
    model = keras.Model(inputs, UnregisteredShift(1.0)(keras.layers.Dense(3)(inputs)))
    with pytest.raises(AssertionError, match="Could not locate class 'UnregisteredShift'"):
        assert_roundtrip(model)  # sample input derived from the model's inputs


def test_loss_round_trip():
    assert_roundtrip(ScaledLoss(3.0))


def test_layer_without_sample_input_is_a_usage_error():
    with pytest.raises(TypeError, match="needs sample_input"):
        assert_roundtrip(GoodShift(1.0))
