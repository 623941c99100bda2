"""Every way of spelling a Keras base class is recognised; look-alikes are not."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kcheck.engine import Options, check_source
from kcheck.engine.selection import Selection

BODY = '''
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x)
'''


def findings(source: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "case.py"
    report = check_source(path, source, Options(selection=Selection(select=("KS101",))))
    return [v.code for v in report.violations]


@pytest.mark.parametrize(("imports", "base"), [
    ("import keras", "keras.layers.Layer"),
    ("import keras", "keras.Layer"),
    ("from keras import layers as L", "L.Layer"),
    ("from keras.layers import Layer as Base", "Base"),
    ("import tensorflow as tf", "tf.keras.layers.Layer"),
    ("from tensorflow import keras", "keras.layers.Layer"),
    ("from tensorflow.keras.layers import Layer", "Layer"),
    ("from tensorflow.keras import layers", "layers.Layer"),
    ("import tf_keras", "tf_keras.layers.Layer"),
    ("from keras.src.layers.layer import Layer", "Layer"),
    ("from keras.src import layers", "layers.Layer"),
    ("import keras as K", "K.layers.Layer"),
    ("try:\n    import keras\nexcept ImportError:\n    keras = None", "keras.layers.Layer"),
])
def test_keras_spellings_are_recognised(tmp_path, imports, base):
    source = f"{imports}\n\nclass Gate({base}):{textwrap.indent(textwrap.dedent(BODY), '    ')}"
    assert findings(source, tmp_path) == ["KS101"]


@pytest.mark.parametrize(("imports", "base"), [
    ("from django.db import models", "models.Model"),
    ("import torch", "torch.nn.Module"),
    ("from pydantic import BaseModel", "BaseModel"),
    ("", "object"),
    ("class Layer:\n    pass", "Layer"),
    ("import keras\nclass Layer:\n    pass", "Layer"),
    ("import keras", "keras.callbacks.Callback"),
    ("import somelib as keras", "keras.layers.Layer"),
])
def test_look_alikes_are_not_keras(tmp_path, imports, base):
    source = f"{imports}\n\nclass Gate({base}):{textwrap.indent(textwrap.dedent(BODY), '    ')}"
    assert findings(source, tmp_path) == []


LOSS_BODY = '''
    def __init__(self, gamma, **kwargs):
        super().__init__(**kwargs)
        self.gamma = gamma
'''


@pytest.mark.parametrize(("imports", "base"), [
    ("import tensorflow as tf", "tf.losses.Loss"),
    ("import tensorflow as tf", "tf.metrics.Metric"),
    ("import tensorflow as tf", "tf.initializers.Initializer"),
    ("import tensorflow as tf", "tf.regularizers.Regularizer"),
    ("import tensorflow as tf", "tf.constraints.Constraint"),
    ("import tensorflow as tf", "tf.optimizers.schedules.LearningRateSchedule"),
    ("from tensorflow import losses", "losses.Loss"),
    ("from tensorflow.metrics import Metric", "Metric"),
])
def test_tensorflow_2_family_aliases_are_keras(tmp_path, imports, base):
    # tf.losses is tf.keras.losses in TensorFlow 2; the file need not mention "keras" at all.
    body = textwrap.indent(textwrap.dedent(LOSS_BODY), "    ")
    source = f"{imports}\n\nclass Custom({base}):{body}"
    assert findings(source, tmp_path) == ["KS101"]


@pytest.mark.parametrize("base", ["tf.compat.v1.losses.Loss", "tf.math.Loss", "tf.Module"])
def test_other_tensorflow_names_are_not_keras(tmp_path, base):
    source = f"import tensorflow as tf\n\nclass Custom({base}):" \
             f"{textwrap.indent(textwrap.dedent(LOSS_BODY), '    ')}"
    assert findings(source, tmp_path) == []
