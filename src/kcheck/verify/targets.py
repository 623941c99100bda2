"""What the verifier is asked to check (VerifyTarget) and what it answers (Verdict)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

KINDS = (
    "layer", "model", "loss", "metric", "initializer", "regularizer", "constraint", "schedule",
    "optimizer", "save-path",
)


@dataclass(frozen=True)
class VerifyTarget:
    """One class to build, save, reload in a fresh process, and compare.

    `examples` are constructor expressions tried first, in order, evaluated in the namespace of the
    class's module plus `keras` and `np`; `example_sources` says where each came from ("declared"
    or "call site path:line"). `param_hints` maps constructor parameter names to what static
    analysis thinks they hold ("layer", "callable", "int", ...). `import_mode` is "strip" (execute
    only the definitions of the file) or "import" (import it normally).
    """

    path: str
    class_name: str
    kind: str
    examples: tuple[str, ...] = ()
    example_sources: tuple[str, ...] = ()
    param_hints: dict = field(default_factory=dict, hash=False)  # a dict: keep targets hashable
    import_mode: str = "strip"
    # Module-level names the user's own loader passes as custom_objects= (read from the module);
    # the reload passes them too, as the user's serving code would.
    custom_objects: tuple[str, ...] = ()
    # What the module's own model code feeds the class: expressions evaluating (in the module's
    # namespace) to the tuple of positional arguments of a call, e.g.
    # "(keras.Input(shape=(28, 28, 1)),)"; tried before the generic sample inputs.
    inputs: tuple[str, ...] = ()
    # Calls of module functions that build and return a model containing the class
    # ("create_model()", "get_model(input_shape=(32, 32, 3))"): when the class cannot be built
    # and called alone, the whole model is saved and reloaded instead.
    builders: tuple[str, ...] = ()
    # Keras backend for the children: "" chooses (tensorflow for a module that imports it when
    # TensorFlow is installed and KERAS_BACKEND is not set, jax otherwise).
    backend: str = ""

    def to_json(self) -> dict:
        """Plain-data form sent to the child processes."""
        data = asdict(self)
        for key in ("examples", "example_sources", "custom_objects", "inputs", "builders"):
            data[key] = list(getattr(self, key))
        data["param_hints"] = dict(self.param_hints)
        return data


@dataclass(frozen=True)
class Verdict:
    """The outcome of verifying one target.

    status: "confirmed" (the round trip failed or changed something), "not-reproduced" (config,
    attributes, weights and outputs preserved) or "inconclusive" (detail says why).
    stage: where it was decided: "construct" | "call" | "save" | "load" | "compare" | "" (import
    failures, not-reproduced).
    """

    status: str
    detail: str
    method: str
    stage: str = ""
    backend: str = ""  # the Keras backend the children ran ("jax", "tensorflow", ...)
    # When the reload failed only because Keras could not find a class by name: the verdict of
    # a second reload with the module's classes passed in custom_objects (detail says so).
    workaround: Verdict | None = None
