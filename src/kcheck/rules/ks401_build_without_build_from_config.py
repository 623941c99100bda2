"""KS401: build() takes arguments that a reloaded layer cannot be given."""

from __future__ import annotations

from kcheck.facts.build_signature import non_shape_extras
from kcheck.facts.usage import only_built_by_other_classes
from kcheck.rules.base import Rule


class BuildWithoutBuildFromConfig(Rule):
    """``build()`` takes parameters beyond its shape argument(s) and no ``build_from_config``
    says how to call it when the layer is reloaded: Keras only ever passes shapes."""

    code = "KS401"
    name = "build-without-build-from-config"
    summary = "build() with non-shape parameters and no build_from_config"
    VALID = [
        '''
import keras

class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
''',
        '''
import keras

class Attend(keras.layers.Layer):
    def build(self, query_shape, value_shape=None):
        self.w = self.add_weight(shape=(query_shape[-1],))

    def call(self, query, value=None):
        return query * self.w
''',
    ]
    INVALID = [
        '''
import keras

class Init(keras.layers.Layer):
    def build(self, input_shape, initializer="ones"):  # expect: KS401
        self.w = self.add_weight(shape=(input_shape[-1],), initializer=initializer)
''',
    ]

    def check_class(self, cls, context):
        build = cls.facts.method("build")
        if build is None or cls.kind not in ("layer", "model"):
            return
        call = cls.find_method("call")
        # A parameter named after a call() argument is that input's shape, misnamed: KS403's.
        extras = non_shape_extras(build, call[1] if call else None)
        if not extras or cls.find_method("build_from_config") is not None:
            return
        if only_built_by_other_classes(context.project, cls):
            return  # its owner's build() calls it with the extra arguments
        names = ", ".join(repr(p.name) for p in extras)
        yield self.finding(
            f"{cls.name}.build() takes {names} besides the input shape, but Keras calls build() "
            "with shapes only: Keras 3 rejects the call at the layer's first use and a reloaded "
            "layer can never receive these values; compute them in __init__ (stored by "
            "get_config) or define get_build_config()/build_from_config()",
            build.node.name, cls)
