"""``path:line:col: CODE message``, the format flake8 and ruff users read every day."""

from __future__ import annotations

from kcheck.violation import Violation

_VERDICT_LABELS = {"confirmed": "confirmed", "not-reproduced": "not reproduced",
                   "inconclusive": "inconclusive"}


def render(violations: list[Violation], summary: str | None = None) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v.path}:{v.line}:{v.column}: {v.code} {v.message}")
        if v.verification:
            status = _VERDICT_LABELS.get(v.verification["status"], v.verification["status"])
            lines.append(f"    verify: {status}: {v.verification.get('detail', '')}")
            if v.verification.get("method"):
                lines.append(f"    built with: {v.verification['method']}")
    if summary:
        lines.append(summary)
    return "\n".join(lines) + ("\n" if lines else "")
