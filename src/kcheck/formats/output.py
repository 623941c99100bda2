"""What every output format may need besides the violations."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kcheck.engine.violation import Violation
from kcheck.sources.python import SourceError, read_source


@dataclass
class Output:
    """Settings and lookups shared by every format."""

    summary: str | None = None
    show_source: bool = False
    colour: bool = False
    root: Path = field(default_factory=Path.cwd)  # SARIF's %SRCROOT%
    sources: dict[str, list[str] | None] = field(default_factory=dict)  # path -> lines
    # Whether --fix would repair a finding (the text format's ``[*]`` mark); None: no marks.
    fixable: Callable[[Violation], bool] | None = None

    def source_line(self, path: str, line: int) -> str | None:
        """Line *line* (1-based) of *path*, or None when it cannot be read."""
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
