"""``path:line:col: CODE message``, the format flake8 and ruff users read every day.

A finding in a notebook reads ``tutorial.ipynb:cell 3:2:7: KS101 ...`` as ruff prints it: the
cell (1-based over all cells, markdown included), then the line and column in that cell.
"""

from __future__ import annotations

from kcheck.engine.violation import Violation
from kcheck.formats.output import Output, as_output

_VERDICT_LABELS = {"confirmed": "confirmed", "not-reproduced": "not reproduced",
                   "inconclusive": "inconclusive"}
_BOLD, _RED, _YELLOW, _CYAN, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[0m"


def _paint(text: str, style: str, colour: bool) -> str:
    return f"{style}{text}{_RESET}" if colour else text


def _source(v: Violation, output: Output) -> list[str]:
    """The offending line and a caret under the reported column."""
    line = output.source_line(v.path, v.line, v.cell)
    if line is None:
        return []
    gutter = f"{v.line} | "
    # Tabs keep their width so the caret lines up under the same character.
    prefix = "".join(ch if ch == "\t" else " " for ch in line[: v.column - 1])
    caret = _paint("^", _BOLD + _RED, output.colour)
    return [f"{gutter}{line}", f"{' ' * (len(gutter) - 2)}| {prefix}{caret}"]


def render(violations: list[Violation], output: Output | str | None = None) -> str:
    output = as_output(output)
    colour = output.colour
    lines = []
    for v in violations:
        style = _BOLD + (_YELLOW if v.severity == "warning" else _RED)
        cell = f"cell {v.cell}:" if v.cell is not None else ""
        mark = "[*] " if output.fixable is not None and output.fixable(v) else ""
        lines.append(f"{_paint(v.path, _BOLD, colour)}:{cell}{v.line}:{v.column}: "
                     f"{_paint(v.code, style, colour)} {mark}{v.message}")
        if output.show_source:
            lines.extend(_source(v, output))
        if v.verification:
            status = _VERDICT_LABELS.get(v.verification["status"], v.verification["status"])
            lines.append(f"    verify: {_paint(status, _CYAN, colour)}: "
                         f"{v.verification.get('detail', '')}")
            if v.verification.get("method"):
                lines.append(f"    built with: {v.verification['method']}")
    if output.summary:
        lines.append(_paint(output.summary, _BOLD, colour))
    return "\n".join(lines) + ("\n" if lines else "")
