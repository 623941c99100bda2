# runtime: save-fails
"""No get_config, no **kwargs, and a layer as constructor argument: Keras generates no config at
all (it records only basic values), so model.save() raises NotImplementedError. That is KS101's
finding; KS104's premise (a generated config carrying 'trainable' and 'dtype') does not hold."""
import keras


# make: Wrap(keras.layers.Dense(2))
@keras.saving.register_keras_serializable(package="corpus")
class Wrap(keras.layers.Layer):  # expect: KS101
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def call(self, x):
        return self.inner(x)


def example():
    return Wrap(keras.layers.Dense(2))
