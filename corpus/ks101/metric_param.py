# runtime: silent-diff
"""Metric subclass with an extra parameter and no get_config: the threshold is lost on reload."""
import keras


# make: AboveCount(1.5)
@keras.saving.register_keras_serializable(package="corpus")
class AboveCount(keras.metrics.Metric):  # expect: KS101
    def __init__(self, threshold=0.5, name="above_count", **kwargs):
        super().__init__(name=name, **kwargs)
        self.threshold = threshold
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, y_true, y_pred, sample_weight=None):
        hits = keras.ops.cast(y_pred > self.threshold, "float32")
        self.total.assign_add(keras.ops.sum(hits))

    def result(self):
        return self.total * 1.0


def example():
    return AboveCount(1.5)
