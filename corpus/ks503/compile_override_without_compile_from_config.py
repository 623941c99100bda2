# runtime: static-only
# measured (docs/measurements/issue4_module_rules.py, KS503 a, a2): silent-diff -- a compiled
# Net reloads with a warning, no optimizer and no loss; fit() then raises AttributeError.
# The verifier never compiles, so it cannot see this.
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(4)

    def call(self, x):
        return self.dense(x)

    def compile(self, lr=0.01, **kwargs):  # expect: KS503
        super().compile(optimizer=keras.optimizers.SGD(lr), loss="mse", **kwargs)
