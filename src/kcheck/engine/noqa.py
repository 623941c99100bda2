"""``# noqa`` and ``# noqa: KS101,KS2`` on the reported line, with flake8's matching."""

from __future__ import annotations

import re

_NOQA = re.compile(r"#\s*noqa(?::[\s]?(?P<codes>[A-Z]+[0-9]*(?:[,\s]+[A-Z]+[0-9]*)*))?",
                   re.IGNORECASE)
_SPLIT = re.compile(r"[,\s]+")


def is_suppressed(line_text: str, code: str) -> bool:
    """True when *line_text* carries a noqa comment that covers *code* (prefixes count)."""
    if "noqa" not in line_text.lower():
        return False
    for match in _NOQA.finditer(line_text):
        codes = match.group("codes")
        if not codes:
            return True
        if any(code.startswith(c.upper()) for c in _SPLIT.split(codes.strip()) if c):
            return True
    return False
