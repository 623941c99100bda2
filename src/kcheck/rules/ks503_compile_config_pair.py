"""KS503: a model's compile() override or compile config half that load_model cannot replay."""

from __future__ import annotations

from kcheck.facts.state_methods import required_reads, written_dict_keys
from kcheck.rules.base import Rule

# Parameters of keras.Model.compile (Keras 3.15): the keys the default get_compile_config
# writes and the default compile_from_config passes back to compile().
_COMPILE_KEYS = frozenset({"optimizer", "loss", "loss_weights", "metrics", "weighted_metrics",
                           "run_eagerly", "steps_per_execution", "jit_compile",
                           "auto_scale_loss"})


class CompileConfigPairIncomplete(Rule):
    """A Model subclass whose compile state cannot be restored by ``load_model``:

    - it overrides ``compile()`` but not ``compile_from_config()``: Keras then skips compiling
      the reloaded model (with a warning), which comes back with no optimizer and no loss, and
      ``fit()`` raises ``AttributeError``;
    - its ``get_compile_config()`` adds keys that ``compile()`` does not take and there is no
      ``compile_from_config()``: loading fails with ``TypeError``;
    - its ``compile_from_config()`` requires keys the inherited ``get_compile_config()`` never
      writes: loading fails with ``KeyError``.

    Halves that keep to ``compile()``'s own parameters work and are not reported."""

    code = "KS503"
    name = "compile-config-pair-incomplete"
    severity = "warning"  # the commonest case loads, only uncompiled (Keras warns)
    summary = "compile() / get_compile_config / compile_from_config that load_model cannot replay"
    RUNTIME_BLIND_SPOT = (
        "the verifier saves uncompiled models, so the compile configuration this finding is "
        "about is never written"
    )
    RUNTIME_EVIDENCE = ("compile()` was not called", "optimizer", "KeyError",
                        "unexpected keyword argument")
    VALID = [
        '''
import keras

class Net(keras.Model):
    def compile(self, lr=0.01, **kwargs):
        self.lr = lr
        super().compile(optimizer=keras.optimizers.SGD(lr), loss="mse", **kwargs)

    def get_compile_config(self):
        return {"lr": self.lr}

    def compile_from_config(self, config):
        self.compile(lr=config["lr"])
''',
        '''
import keras

class Net(keras.Model):
    def compile_from_config(self, config):
        config = keras.saving.deserialize_keras_object(config)
        self.compile(optimizer=config["optimizer"], loss=config["loss"])
''',
    ]
    INVALID = [
        '''
import keras

class Net(keras.Model):
    def compile(self, lr=0.01, **kwargs):  # expect: KS503
        super().compile(optimizer=keras.optimizers.SGD(lr), loss="mse", **kwargs)
''',
        '''
import keras

class Net(keras.Model):
    def get_compile_config(self):
        return {**super().get_compile_config(), "lr": 0.1}  # expect: KS503
''',
        '''
import keras

class Net(keras.Model):
    def compile_from_config(self, config):
        self.compile(optimizer=keras.optimizers.SGD(config["lr"]), loss="mse")  # expect: KS503
''',
    ]

    def check_class(self, cls, context):
        if cls.kind != "model":
            return
        compile_ = cls.find_method("compile")
        getter = cls.find_method("get_compile_config")
        replay = cls.find_method("compile_from_config")
        if replay is None:
            if compile_ is not None and compile_[0] is cls:
                yield self.finding(
                    f"{cls.name} overrides compile() without compile_from_config(): load_model "
                    "skips compiling the reloaded model, which silently comes back with no "
                    "optimizer or loss (fit() raises AttributeError); define "
                    f"{cls.name}.get_compile_config() and compile_from_config() that replay "
                    "your compile()", compile_[1].node.name, cls)
                return
            if compile_ is None and getter is not None and getter[0] is cls:
                for key, node in written_dict_keys(getter[1]).items():
                    if key in _COMPILE_KEYS:
                        continue
                    yield self.finding(
                        f"{cls.name}.get_compile_config() adds {key!r}, which compile() does "
                        "not take, and there is no compile_from_config(): load_model fails "
                        f"with TypeError \"compile() got an unexpected keyword argument "
                        f"'{key}'\"; define {cls.name}.compile_from_config() that reads it",
                        node, cls)
                    return
        elif getter is None and replay[0] is cls:
            for key, node in required_reads(replay[1]).items():
                if key in _COMPILE_KEYS:
                    continue
                yield self.finding(
                    f"{cls.name}.compile_from_config() reads config[{key!r}] but there is no "
                    "get_compile_config(): the inherited one writes only compile()'s "
                    f"arguments, so load_model fails with KeyError: {key!r}; define "
                    f"{cls.name}.get_compile_config() returning {key!r}", node, cls)
                return
