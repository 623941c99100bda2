# runtime: silent-diff
"""Constraint subclass with a parameter and no get_config: Constraint.get_config returns {}."""
from keras import constraints, ops, saving


# make: Cap(0.5)
@saving.register_keras_serializable(package="corpus")
class Cap(constraints.Constraint):  # expect: KS101
    def __init__(self, cap=1.0):
        self.cap = cap

    def __call__(self, w):
        return ops.minimum(w, self.cap)


def example():
    return Cap(0.5)
