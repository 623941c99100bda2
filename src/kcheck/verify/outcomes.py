"""Child side: turn an exception raised at some stage into an outcome dict for the parent."""
from __future__ import annotations

from .root_cause import describe, raised_inside, root_cause

# Errors Keras raises at the first call because the class breaks a Keras contract, whatever the
# input: these confirm a problem even though no input was accepted.
CONTRACT_ERRORS = ("`_shape` suffix", "which does not end in `_shape`",
                   "`call()` does not have argument",
                   # add_weight("name", ...) in Keras 2's argument order (KS404)
                   "`name` must be passed as a keyword argument")


def outcome(kind: str, stage: str, detail: str, method: str = "") -> dict:
    """The result record a child writes: kind is "saved" | "same" | "confirmed" | "inconclusive"."""
    return {"outcome": kind, "stage": stage, "detail": detail, "method": method}


def limit_reason(error: BaseException, stage: str, memory_mb: int) -> str | None:
    """A reason for an inconclusive verdict when `error` says a limit was hit, not a bug."""
    cause = root_cause(error)
    if isinstance(error, MemoryError) or isinstance(cause, MemoryError):
        return f"memory limit of {memory_mb} MB exceeded during {stage}"
    if isinstance(cause, NotImplementedError) and raised_inside(cause, "keras/src/backend"):
        return f"the backend lacks an op needed during {stage}: {describe(cause)}"
    if isinstance(cause, ModuleNotFoundError) and cause.name:
        return f"needs {cause.name.split('.')[0]}, which is not installed (during {stage})"
    if isinstance(cause, RecursionError):
        return f"recursion limit hit during {stage}: {describe(cause)}"
    return None


def failure(error: BaseException, stage: str, method: str, memory_mb: int) -> dict:
    """Keras failed at `stage`: confirmed with the root cause, unless a limit was hit."""
    reason = limit_reason(error, stage, memory_mb)
    if reason:
        return outcome("inconclusive", stage, reason, method)
    return outcome("confirmed", stage, describe(error), method)


def is_contract_error(error: BaseException) -> bool:
    """True for errors that Keras raises for any input because the class itself is wrong."""
    message = str(root_cause(error))
    return any(fragment in message for fragment in CONTRACT_ERRORS)
