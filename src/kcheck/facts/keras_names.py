"""What kcheck knows about Keras's public names.

Every spelling of a Keras name (``tf.keras.layers.Layer``, ``tf_keras.layers.Layer``,
``keras.src.layers.layer.Layer``, ``keras.layers.Layer``) is first turned into one canonical
dotted name under ``keras.``; the tables below are written in that canonical form.
"""

from __future__ import annotations

# Prefixes that all mean "the keras package" once canonicalised.
_ALIASES = (
    ("tensorflow.keras.", "keras."),
    ("tensorflow.python.keras.", "keras."),
    ("tf_keras.", "keras."),
    ("keras.api.", "keras."),
    ("keras._tf_keras.keras.", "keras."),
)
# TensorFlow 2 exports these Keras families at its top level too (``tf.losses.Loss`` is
# ``tf.keras.losses.Loss``); ``tf.compat.v1.losses`` and friends are not Keras and keep their
# full name, so they never match.
_TENSORFLOW_FAMILIES = ("losses", "metrics", "optimizers", "initializers", "regularizers",
                        "constraints")

# Sub-packages of keras (public or keras.src) and the kind of class they hold.
_FAMILY_BY_PACKAGE = {
    "layers": "layer",
    "models": "model",
    "losses": "loss",
    "metrics": "metric",
    "initializers": "initializer",
    "regularizers": "regularizer",
    "constraints": "constraint",
    "optimizers": "optimizer",
    "callbacks": "callback",
    "engine": "layer",
}

# Top-level names (keras.Layer, keras.Model, ...) and their kinds.
_TOP_LEVEL = {
    "Layer": "layer",
    "Model": "model",
    "Sequential": "model",
    "Functional": "model",
    "Loss": "loss",
    "Metric": "metric",
    "Initializer": "initializer",
    "Regularizer": "regularizer",
    "Constraint": "constraint",
    "Optimizer": "optimizer",
    "LearningRateSchedule": "schedule",
}

# Bases whose get_config Keras 3 generates from the recorded constructor arguments
# (Operation.get_config's auto-config). Subclasses of other built-ins inherit a hand-written
# get_config that returns a fixed set of keys.
AUTO_CONFIG_BASES = frozenset({"keras.layers.Layer", "keras.models.Model"})

# Keys that a built-in base's get_config already emits, so a constructor parameter of that
# name survives without the subclass writing a get_config.
BASE_CONFIG_KEYS = {
    "layer": frozenset({"name", "trainable", "dtype"}),
    "model": frozenset({"name", "trainable"}),
    "loss": frozenset({"name", "reduction", "dtype"}),
    "metric": frozenset({"name", "dtype"}),
    "initializer": frozenset(),
    "regularizer": frozenset(),
    "constraint": frozenset(),
    "schedule": frozenset(),
    "optimizer": frozenset({"name", "learning_rate"}),
}

# Kinds that are saved with a model and therefore in scope.
SERIALIZABLE_KINDS = frozenset(BASE_CONFIG_KEYS)

_REGISTER_FUNCTIONS = frozenset({
    "keras.saving.register_keras_serializable",
    "keras.utils.register_keras_serializable",
    "keras.src.saving.object_registration.register_keras_serializable",
    "keras.src.saving.register_keras_serializable",
    "keras.src.utils.register_keras_serializable",
    "keras.utils.generic_utils.register_keras_serializable",
})
_CUSTOM_OBJECT_GETTERS = frozenset({
    "keras.saving.get_custom_objects",
    "keras.utils.get_custom_objects",
    "keras.src.saving.object_registration.get_custom_objects",
})
_CUSTOM_OBJECT_SCOPES = frozenset({
    "keras.saving.custom_object_scope",
    "keras.saving.CustomObjectScope",
    "keras.utils.custom_object_scope",
    "keras.utils.CustomObjectScope",
    "keras.src.saving.object_registration.custom_object_scope",
    "keras.src.saving.object_registration.CustomObjectScope",
})
_DESERIALIZERS = frozenset({
    "keras.saving.deserialize_keras_object",
    "keras.utils.deserialize_keras_object",
    "keras.src.saving.serialization_lib.deserialize_keras_object",
    "keras.layers.deserialize",
    "keras.models.model_from_config",
    "keras.initializers.deserialize",
    "keras.initializers.get",
    "keras.regularizers.deserialize",
    "keras.regularizers.get",
    "keras.constraints.deserialize",
    "keras.constraints.get",
    "keras.activations.deserialize",
    "keras.activations.get",
    "keras.losses.deserialize",
    "keras.losses.get",
    "keras.metrics.deserialize",
    "keras.metrics.get",
    "keras.optimizers.deserialize",
    "keras.optimizers.get",
    "keras.optimizers.schedules.deserialize",
})
_SERIALIZERS = frozenset({
    "keras.saving.serialize_keras_object",
    "keras.utils.serialize_keras_object",
    "keras.src.saving.serialization_lib.serialize_keras_object",
    "keras.layers.serialize",
    "keras.initializers.serialize",
    "keras.regularizers.serialize",
    "keras.constraints.serialize",
    "keras.losses.serialize",
    "keras.metrics.serialize",
    "keras.optimizers.serialize",
})


def canonical(qualified: str) -> str | None:
    """Return the canonical ``keras.`` name of *qualified*, or None if it is not Keras.

    ``keras.src.layers.core.dense.Dense`` becomes ``keras.layers.Dense``: the sub-package
    after ``src`` names the family and the last component names the object.
    """
    name = qualified
    if name == "tensorflow.keras" or name == "tf_keras":
        return "keras"
    for prefix, replacement in _ALIASES:
        if name.startswith(prefix):
            name = replacement + name[len(prefix):]
            break
    else:
        head, _, rest = name.partition(".")
        family = rest.split(".")[0]
        if head == "tensorflow" and family in _TENSORFLOW_FAMILIES and "." in rest:
            name = "keras." + rest
    if name != "keras" and not name.startswith("keras."):
        return None
    parts = name.split(".")
    if len(parts) > 3 and parts[1] in ("src", "engine"):
        start = 2 if parts[1] == "src" else 1
        package = parts[start]
        if package == "optimizers" and "schedules" in parts:
            return "keras.optimizers.schedules." + parts[-1]
        if package in ("saving", "utils", "ops", "activations") or package in _FAMILY_BY_PACKAGE:
            return f"keras.{package}.{parts[-1]}"
        return "keras." + parts[-1]
    if len(parts) == 4 and parts[1] == "src":
        return "keras." + parts[-1]
    return name


def class_kind(name: str) -> str | None:
    """The kind of a canonical Keras class name ("layer", "model", "loss", ...), or None."""
    parts = name.split(".")
    last = parts[-1]
    if not last[:1].isupper():
        return None
    if len(parts) == 2:
        return _TOP_LEVEL.get(last)
    if parts[1] == "optimizers" and "schedules" in parts:
        return "schedule"
    if parts[1] == "models" and last not in ("Model", "Sequential", "Functional"):
        return None
    if parts[1] == "layers" and last in ("InputSpec", "Input"):
        return None
    if parts[1] == "engine":
        return _TOP_LEVEL.get(last)
    return _FAMILY_BY_PACKAGE.get(parts[1])


def base_for_auto_config(name: str) -> bool:
    """True when *name* is a base whose get_config Keras 3 generates from recorded arguments."""
    return name in AUTO_CONFIG_BASES or name in ("keras.Layer", "keras.Model", "keras.layers.Layer")


def is_register_function(name: str) -> bool:
    return name in _REGISTER_FUNCTIONS


def is_custom_object_getter(name: str) -> bool:
    return name in _CUSTOM_OBJECT_GETTERS


def is_custom_object_scope(name: str) -> bool:
    return name in _CUSTOM_OBJECT_SCOPES


def is_deserializer(name: str) -> bool:
    return name in _DESERIALIZERS or name.endswith(".from_config")


def is_serializer(name: str) -> bool:
    return name in _SERIALIZERS


def is_keras_constructor(name: str) -> bool:
    """True for canonical names that build a Keras object when called (``keras.layers.Dense``)."""
    return class_kind(name) is not None or name in ("keras.Input", "keras.layers.Input")

# Keras imports a class's module by name at load time only inside these packages; everything
# else must be registered (serialization_lib._retrieve_class_or_fn, Keras 3.15).
KERAS_FAMILY_PACKAGES = frozenset({"keras", "keras_hub", "keras_cv", "keras_nlp"})
