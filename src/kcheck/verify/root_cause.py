"""Find the error that actually went wrong inside Keras's wrappers, and describe it in one line."""
from __future__ import annotations

import traceback

# Keras re-raises deserialization failures as "... could not be deserialized properly" with the
# real error chained; users need the chained one.
MAX_MESSAGE = 400


def root_cause(exc: BaseException) -> BaseException:
    """Follow `__cause__`, then unsuppressed `__context__`, to the innermost exception."""
    seen = {id(exc)}
    while True:
        nxt = exc.__cause__
        if nxt is None and not exc.__suppress_context__:
            nxt = exc.__context__
        if nxt is None or id(nxt) in seen:
            return exc
        seen.add(id(nxt))
        exc = nxt


def describe(exc: BaseException, limit: int = MAX_MESSAGE) -> str:
    """`Type: message` of the root cause, whitespace collapsed, cut to `limit` characters."""
    cause = root_cause(exc)
    message = " ".join(str(cause).split())
    if len(message) > limit:
        message = message[: limit - 1] + "…"
    return f"{type(cause).__name__}: {message}" if message else type(cause).__name__


def raised_inside(exc: BaseException, fragment: str) -> bool:
    """True when the innermost frame of the root cause's traceback is in a file containing
    `fragment` (used to tell a backend's missing op from a user error)."""
    frames = traceback.extract_tb(root_cause(exc).__traceback__)
    return bool(frames) and fragment in frames[-1].filename.replace("\\", "/")
