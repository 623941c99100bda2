"""kcheck as a flake8 plugin (codes ``KS``): the same engine and findings as the command."""

from __future__ import annotations

from pathlib import Path

from kcheck import __version__
from kcheck.engine import Options, check_source
from kcheck.rules import ALL_RULES
from kcheck.selection import Selection


class KcheckFlake8:
    """flake8 hands us one file; cross-file base classes are read from the file's folder."""

    name = "kcheck"
    version = __version__
    keras_version = 3

    def __init__(self, tree, filename: str, lines: list[str]) -> None:
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager) -> None:
        option_manager.add_option(
            "--kcheck-keras-version", type=int, default=3, parse_from_config=True,
            help="Keras semantics kcheck checks against: 3 (default) or 2")
        # Rules that are off by default in kcheck are off by default in flake8 too.
        option_manager.extend_default_ignore(
            [rule.code for rule in ALL_RULES if not rule.default_enabled])

    @classmethod
    def parse_options(cls, options) -> None:
        cls.keras_version = options.kcheck_keras_version

    def run(self):
        # flake8 filters codes itself, so every rule runs here.
        options = Options(selection=Selection(select=("KS",)), keras_version=self.keras_version)
        text = "".join(self.lines)
        path = Path(self.filename)
        if self.filename in ("-", "stdin"):
            path = Path("stdin.py")
        report = check_source(path, text, options)
        for v in report.violations:
            yield v.line, v.column - 1, f"{v.code} {v.message}", type(self)
