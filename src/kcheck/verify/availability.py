"""Checks that the verifier's runtime dependencies exist, without importing them."""
from __future__ import annotations

import importlib.util

INSTALL_HINT = "pip install 'kcheck[verify]'"


class VerifierUnavailable(RuntimeError):
    """Raised when keras (or its backend) is not installed, so nothing can be verified."""


def require_keras() -> None:
    """Raise VerifierUnavailable unless keras and numpy can be imported.

    Only looks the packages up (importlib.util.find_spec): the parent process must never import
    keras itself, since user code and Keras state live in child processes only.
    """
    missing = [name for name in ("keras", "numpy") if importlib.util.find_spec(name) is None]
    if missing:
        raise VerifierUnavailable(
            f"runtime verification needs {' and '.join(missing)}, which is not installed: "
            f"run {INSTALL_HINT}"
        )
