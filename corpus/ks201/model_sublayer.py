# runtime: load-fails
"""keras.Model subclass serializing a sublayer in get_config without from_config."""
import keras


# make: Head(keras.layers.Dense(3))
@keras.saving.register_keras_serializable(package="corpus")
class Head(keras.Model):
    def __init__(self, body, **kwargs):
        super().__init__(**kwargs)
        self.body = body

    def call(self, x):
        return self.body(x)

    def get_config(self):
        base = super().get_config()
        return dict(base, body=keras.saving.serialize_keras_object(self.body))  # expect: KS201


def example():
    return Head(keras.layers.Dense(3))
