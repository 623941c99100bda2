"""What every output format may need besides the violations."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kcheck.engine.violation import Violation
from kcheck.sources.python import SourceError, read_source

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kcheck.sources.notebook import NotebookModule


@dataclass
class Output:
    """Settings and lookups shared by every format."""

    summary: str | None = None
    show_source: bool = False
    colour: bool = False
    root: Path = field(default_factory=Path.cwd)  # SARIF's %SRCROOT%
    sources: dict[str, list[str] | None] = field(default_factory=dict)  # path -> lines
    notebooks: dict[str, NotebookModule | None] = field(default_factory=dict)  # path -> cells
    # Whether --fix would repair a finding (the text format's ``[*]`` mark); None: no marks.
    fixable: Callable[[Violation], bool] | None = None

    def notebook(self, path: str) -> NotebookModule | None:
        """The notebook at *path* (or read from standard input under that name), or None."""
        if path not in self.notebooks:
            from kcheck.sources.notebook import read_notebook_file  # only notebooks need it

            try:
                self.notebooks[path] = read_notebook_file(Path(path))
            except SourceError:
                self.notebooks[path] = None
        return self.notebooks[path]

    def file_position(self, v: Violation) -> tuple[int, int]:
        """Where a finding sits in the file itself: for a notebook, the line and column in its
        JSON text (what GitHub annotations and SARIF viewers show); else its own line."""
        if v.cell is None:
            return v.line, v.column
        notebook = self.notebook(v.path)
        if notebook is None:
            return 1, 1
        return notebook.file_position(v.cell, v.line, v.column)

    def source_line(self, path: str, line: int, cell: int | None = None) -> str | None:
        """Line *line* (1-based) of *path*, or of its cell *cell* for a notebook; None when it
        cannot be read."""
        if cell is not None:
            notebook = self.notebook(path)
            return notebook.source_line(cell, line) if notebook is not None else None
        if path not in self.sources:
            try:
                self.sources[path] = read_source(Path(path)).splitlines()
            except SourceError:
                self.sources[path] = None
        lines = self.sources[path]
        if lines is None or not 1 <= line <= len(lines):
            return None
        return lines[line - 1]


def as_output(output: Output | str | None) -> Output:
    return output if isinstance(output, Output) else Output(summary=output)


def use_colour(stream, choice: str = "auto") -> bool:
    """``--color always|never|auto``; auto honours NO_COLOR, then FORCE_COLOR, then the tty."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
