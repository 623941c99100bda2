# runtime: save-fails
"""A two-input layer whose build() names its parameters after call()'s (query, value) instead of
query_shape, value_shape: Keras 3 refuses to build it at its first call. The values are shapes,
only misnamed, so this is KS403's mistake (rename them), not KS401's (build_from_config)."""
import keras


# make: Cross(4)
@keras.saving.register_keras_serializable(package="corpus")
class Cross(keras.layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, query, value):  # expect: KS403
        self.wq = self.add_weight(shape=(query[-1], self.units))
        self.wv = self.add_weight(shape=(value[-1], self.units))

    def call(self, query, value):
        return keras.ops.matmul(query, self.wq) + keras.ops.matmul(value, self.wv)


def example():
    return Cross(4)
