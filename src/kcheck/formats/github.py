"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

``::error file=src/a.py,line=3,col=5,title=KS101::message``. Values are escaped as the Actions
toolkit does: ``%``, CR and LF in the message; also ``:`` and ``,`` in properties.

A finding in a notebook points at the ``.ipynb`` file, at the line of its JSON text that holds
the cell's line (where the pull request's diff shows it), and its message starts with
``cell 3, line 2:``.
"""

from __future__ import annotations

from kcheck.engine.violation import Violation
from kcheck.formats.output import Output, as_output


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(violations: list[Violation], output: Output | str | None = None) -> str:
    output = as_output(output)
    lines = []
    for v in violations:
        command = "warning" if v.severity == "warning" else "error"
        line, column = output.file_position(v)
        message = v.message if v.cell is None else f"cell {v.cell}, line {v.line}: {v.message}"
        lines.append(f"::{command} file={escape_property(v.path)},line={line},col={column},"
                     f"title={escape_property(v.code)}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)
