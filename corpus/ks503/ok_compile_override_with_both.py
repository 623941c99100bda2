# runtime: ok
# verify: Net
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(4)

    def call(self, x):
        return self.dense(x)

    def compile(self, lr=0.01, **kwargs):
        self.lr = lr
        super().compile(optimizer=keras.optimizers.SGD(lr), loss="mse", **kwargs)

    def get_compile_config(self):
        return {"lr": self.lr} if self.compiled else {}

    def compile_from_config(self, config):
        self.compile(lr=config["lr"])
