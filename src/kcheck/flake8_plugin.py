"""kcheck as a flake8 plugin (codes ``KS``): the same engine and findings as the command."""

from __future__ import annotations

import ast
import gc
from dataclasses import replace
from pathlib import Path

from kcheck import __version__
from kcheck.config import Config, ConfigError, config_for, keras_target_argument
from kcheck.engine import Options, check_source
from kcheck.facts.project import Project
from kcheck.rules import ALL_RULES
from kcheck.sources.notebook import read_notebook

_PROJECT: Project | None = None


def _shared_project() -> Project:
    """One Project per flake8 process: a base module in another file is parsed once for all
    the files that use it, as in the kcheck command. Files do not change during a run."""
    global _PROJECT
    if _PROJECT is None:
        _PROJECT = Project()
    return _PROJECT


_MERGED: dict[tuple, Config] = {}
_OPTIONS: dict[Config, Options] = {}


def _merged(base: Config, decorators, keras_version, target_keras) -> Config:
    """The file's configuration with the --kcheck-* flags on top, worked out once per
    configuration file: flake8 calls the plugin once per file."""
    key = (base, decorators, keras_version, target_keras)
    merged = _MERGED.get(key)
    if merged is None:
        merged = _MERGED[key] = base.override(
            extra_registration_decorators=decorators,
        ).with_keras_flags(keras_version, target_keras)
    return merged


def _engine_options(config: Config) -> Options:
    """Every rule (flake8 decides with its own default-ignore list); no fixes, which flake8
    never prints."""
    options = _OPTIONS.get(config)
    if options is None:
        options = _OPTIONS[config] = replace(config.engine_options(every_rule=True),
                                             fix_edits=False, fixes=False)
    return options


class KcheckFlake8:
    """flake8 hands us one file; cross-file base classes are read from the file's folder.

    The file's ``[tool.kcheck]`` settings apply as they do for the ``kcheck`` command
    (selection, per-file-ignores, exclude, keras-version, extra-registration-decorators), so
    flake8 reports what ``kcheck`` reports; flake8's own --select / --ignore /
    --per-file-ignores / --exclude then filter further. ``--kcheck-*`` options override the
    pyproject values.
    """

    name = "kcheck"
    version = __version__
    keras_version: int | None = None
    target_keras: tuple[int, ...] | None = None
    extra_decorators: tuple[str, ...] | None = None

    def __init__(self, tree, filename: str, lines: list[str]) -> None:
        self.tree = tree  # flake8's own ast of the file: kcheck's cheap pass reuses it
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager) -> None:
        option_manager.add_option(
            "--kcheck-keras-version", type=int, default=None, choices=(2, 3),
            parse_from_config=True,
            help="Keras semantics kcheck checks against: 3 (default) or 2; overrides "
                 "keras-version in [tool.kcheck]")
        option_manager.add_option(
            "--kcheck-target-keras", type=keras_target_argument, default=None,
            parse_from_config=True, metavar="VERSION",
            help="the Keras release kcheck checks for, e.g. 3.3; overrides target-keras in "
                 "[tool.kcheck] (default: the installed keras, else the newest)")
        option_manager.add_option(
            "--kcheck-extra-registration-decorators", default=None, parse_from_config=True,
            comma_separated_list=True, metavar="NAMES",
            help="dotted names of your own decorators that register classes with Keras; "
                 "overrides extra-registration-decorators in [tool.kcheck]")
        # Rules that are off by default in kcheck are off by default in flake8 too.
        option_manager.extend_default_ignore(
            [rule.code for rule in ALL_RULES if not rule.default_enabled])

    @classmethod
    def parse_options(cls, options) -> None:
        cls.keras_version = options.kcheck_keras_version
        cls.target_keras = options.kcheck_target_keras
        names = options.kcheck_extra_registration_decorators
        cls.extra_decorators = tuple(names) if names else None

    def run(self):
        text = "".join(self.lines)
        stdin = self.filename in ("-", "stdin")
        path = Path("stdin.py") if stdin else Path(self.filename)
        try:
            config = _merged(config_for(path), self.extra_decorators, self.keras_version,
                             self.target_keras)
        except ConfigError as error:
            # flake8 has no channel for configuration errors; report it on line 1.
            yield 1, 0, f"KS000 kcheck configuration error: {error}", type(self)
            return
        if not stdin and config.is_excluded(path):
            return
        collecting = gc.isenabled()
        gc.disable()  # libcst trees are large object graphs: collection pauses cost ~35%
        try:
            options = _engine_options(config)
            syntax = self.tree if isinstance(self.tree, ast.Module) else None
            report = check_source(path, text, options, _shared_project(), syntax=syntax)
        finally:
            # What the check leaves (the outlines and parsed modules shared by later files) is
            # long-lived: kept out of the collector's reach, flake8's own collections between
            # files stop walking it again and again.
            gc.freeze()
            if collecting:
                gc.enable()
        notebook = None
        for v in report.violations:
            if not stdin and not config.reports(path, v.code):
                continue
            line, column, message = v.line, v.column, v.message
            if v.cell is not None:
                # flake8 reads a notebook as the JSON it is: point at the line of the JSON that
                # holds the cell's line (`nbqa flake8` is the way to get cell positions).
                notebook = notebook or read_notebook(text)
                line, column = notebook.file_position(v.cell, v.line, v.column)
                message = f"cell {v.cell}:{v.line}:{v.column}: {message}"
            yield line, column - 1, f"{v.code} {message}", type(self)
