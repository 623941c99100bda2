# runtime: save-fails
"""LearningRateSchedule subclass with a parameter and no get_config: the base get_config raises
NotImplementedError, so saving a model compiled with it fails."""
import keras


# make: Flat(0.1)
@keras.saving.register_keras_serializable(package="corpus")
class Flat(keras.optimizers.schedules.LearningRateSchedule):  # expect: KS101
    def __init__(self, lr=0.01):
        self.lr = lr

    def __call__(self, step):
        return self.lr


def example():
    return Flat(0.1)
