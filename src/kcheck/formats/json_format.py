"""A JSON array of findings: path, line, column, code, message, class (and verification)."""

from __future__ import annotations

import json

from kcheck.engine.violation import Violation
from kcheck.formats.output import Output


def render(violations: list[Violation], output: Output | str | None = None) -> str:
    return json.dumps([v.as_dict() for v in violations], indent=2) + "\n"
