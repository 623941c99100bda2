# runtime: load-fails
# verify: Net
import keras


@keras.saving.register_keras_serializable(package="corpus")
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(4)

    def call(self, x):
        return self.dense(x)

    def get_compile_config(self):
        return {**super().get_compile_config(), "lr": 0.1}  # expect: KS503
