"""The records every front end reports from: a Violation per finding, a FileReport per file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

# Code used for files kcheck could not check (unreadable, not UTF-8, syntax error, too large).
FILE_ERROR_CODE = "KS000"


@dataclass
class Violation:
    """A finding at an exact place, ready for any output format."""

    path: str
    line: int  # 1-based
    column: int  # 1-based, like flake8 and ruff print it
    code: str
    message: str
    class_name: str | None = None
    severity: str = "error"
    verification: dict | None = field(default=None)
    # For a finding about a call of a Keras constructor outside any custom class: that call's
    # source, which the verifier can build and round-trip. Not part of any output format.
    subject: str | None = field(default=None)
    # For a notebook: the cell (1-based over all cells, as ruff counts); line is then the line
    # in that cell. None for a Python file.
    cell: int | None = field(default=None)
    # The repair kcheck can make: applicability, message and the edits (line/column ranges and
    # new text), as the json format prints it; None when the rule has no sound fix here.
    fix: dict | None = field(default=None)

    @property
    def is_file_error(self) -> bool:
        return self.code == FILE_ERROR_CODE

    def as_dict(self) -> dict:
        data = asdict(self)
        data["class"] = data.pop("class_name")
        del data["subject"]
        if data["verification"] is None:
            del data["verification"]
        return data

    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.line, self.column, self.code)


@dataclass
class FileReport:
    """The outcome for one file: its violations, or why it could not be checked."""

    path: str
    violations: list[Violation] = field(default_factory=list)
    error: str | None = None
    # What the result cache records for a file checked on its behalf (never set otherwise):
    # the stamp of the bytes that were checked (kcheck.engine.cache.Stamp) and the other files
    # the findings depended on.
    stamp: object | None = field(default=None, repr=False, compare=False)
    dependencies: frozenset | None = field(default=None, repr=False, compare=False)
