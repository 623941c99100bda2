"""Reading ``# expect: KS101, KS201`` and ``# runtime: ...`` markers from example programs."""

from __future__ import annotations

import re

EXPECT = re.compile(r"#\s*expect:\s*(KS\d{3}(?:\s*,\s*KS\d{3})*)")
RUNTIME = re.compile(r"^#\s*runtime:\s*([\w-]+)", re.MULTILINE)
VERIFY = re.compile(r"^#\s*verify:\s*(.+)$", re.MULTILINE)


def expected_findings(text: str) -> list[tuple[int, str]]:
    """(line, code) pairs marked in *text*, sorted."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            found.extend((number, code.strip()) for code in match.group(1).split(","))
    return sorted(found)


def runtime_outcome(text: str) -> str | None:
    match = RUNTIME.search(text)
    return match.group(1) if match else None


def verify_classes(text: str) -> list[str] | None:
    match = VERIFY.search(text)
    return [name.strip() for name in match.group(1).split(",")] if match else None
