"""Which fixes ``--fix`` may apply; also what the text format's ``[*]`` mark asks.

Apart from kcheck.engine.fixing (which applies fixes with libcst) so that printing findings
answered from the cache imports no parser.
"""

from __future__ import annotations

from dataclasses import dataclass

from kcheck.engine.violation import Violation

SAFE = "safe"  # a fix record's applicability, as kcheck.fixes.SAFE writes it


@dataclass(frozen=True)
class FixPolicy:
    """Which fixes may be applied: ``fixable`` / ``unfixable`` codes or prefixes, and whether
    unsafe fixes are on."""

    unsafe: bool = False
    fixable: tuple[str, ...] = ("KS",)
    unfixable: tuple[str, ...] = ()

    def allows_code(self, code: str) -> bool:
        return any(code.startswith(p) for p in self.fixable) and \
            not any(code.startswith(p) for p in self.unfixable)

    def allows(self, code: str, applicability: str) -> bool:
        return self.allows_code(code) and (applicability == SAFE or self.unsafe)

    def applies_to(self, violation: Violation) -> bool:
        """True when *violation* carries a fix this policy would apply (the ``[*]`` mark)."""
        fix = violation.fix
        return fix is not None and self.allows(violation.code, fix["applicability"])
