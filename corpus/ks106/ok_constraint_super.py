# runtime: ok
"""Constraint.get_config returns {}: merging it is fine."""
import keras


# make: Clip(0.5)
@keras.saving.register_keras_serializable(package="corpus")
class Clip(keras.constraints.Constraint):
    def __init__(self, limit=1.0):
        self.limit = limit

    def __call__(self, w):
        return keras.ops.clip(w, -self.limit, self.limit)

    def get_config(self):
        return {**super().get_config(), "limit": self.limit}


def example():
    return Clip(0.5)
