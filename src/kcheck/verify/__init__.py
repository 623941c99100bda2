"""Runtime verification: save each flagged class to .keras, reload it in a fresh process, and
report whether the round trip failed or changed anything.

The parent process never imports keras or the user's code; see docs/verify.md.
"""
from .assertion import assert_roundtrip
from .availability import VerifierUnavailable
from .scheduling import verify_targets
from .targets import KINDS, Verdict, VerifyTarget

__all__ = ["KINDS", "Verdict", "VerifierUnavailable", "VerifyTarget", "assert_roundtrip",
           "verify_targets"]
