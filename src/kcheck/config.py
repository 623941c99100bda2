"""``[tool.kcheck]`` in ``pyproject.toml``: found from each checked file's folder upwards.

The nearest ``pyproject.toml`` that has a ``[tool.kcheck]`` table applies to a file; globs in it
(``exclude``, ``per-file-ignores``) are relative to that file's folder. Every front end (the
``kcheck`` command, the flake8 plugin, the pre-commit hooks) reads settings through
:func:`config_for`, so a project configured once gets the same findings everywhere.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path

from kcheck.engine.options import Options
from kcheck.engine.selection import Selection, SelectionError
from kcheck.facts.keras_release import parse_keras_version

CONFIG_NAME = "pyproject.toml"
_DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$")
# "mypkg.layers:Gate", or a file path instead of the module: "src/mypkg/layers.py:Gate".
_EXAMPLE_TARGET = re.compile(r"^[^\s:]+:[A-Za-z_]\w*$")


class ConfigError(Exception):
    """A configuration file kcheck cannot use; the message names the file and the key."""


def _shown_version(target: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in target)


def keras_target_argument(text: str) -> tuple[int, ...]:
    """``--target-keras 3.3`` for argparse and flake8's option manager."""
    import argparse

    try:
        return parse_keras_version(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


@dataclass(frozen=True)
class Config:
    """The settings that apply to the files under one ``pyproject.toml``.

    ``None`` for ``select``, ``keras_version`` and ``verify_timeout`` means "not set": the
    built-in default applies.
    """

    path: Path | None = None  # the pyproject.toml these settings came from
    root: Path = field(default_factory=Path.cwd)  # the folder globs are relative to
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    keras_version: int | None = None
    target_keras: tuple[int, ...] | None = None
    extra_registration_decorators: tuple[str, ...] = ()
    examples: tuple[tuple[str, str], ...] = ()
    verify_timeout: float | None = None
    fixable: tuple[str, ...] = ("KS",)  # codes or prefixes --fix may repair
    unfixable: tuple[str, ...] = ()  # codes or prefixes --fix leaves alone
    unsafe_fixes: bool | None = None  # apply unsafe fixes too (--unsafe-fixes)
    registration_package: str | None = None  # package= of the registration fix

    @property
    def selection(self) -> Selection:
        return Selection(self.select, self.extend_select, self.ignore)

    @property
    def example_constructors(self) -> dict[str, str]:
        """``{"module:Class": "constructor expression"}`` for the verifier."""
        return dict(self.examples)

    def engine_options(self, every_rule: bool = False) -> Options:
        """What the engine needs. *every_rule* runs rules that are off by default too (unless
        ``select`` is set): flake8 decides about those with its own default-ignore list."""
        selection = self.selection
        if every_rule and self.select is None:
            selection = Selection(("KS",), self.extend_select, self.ignore)
        target = self.keras_target()
        return Options(selection=selection, keras_version=target[0], keras_target=target,
                       extra_decorators=frozenset(self.extra_registration_decorators),
                       registration_package=self.registration_package)

    def keras_target(self) -> tuple[int, ...]:
        """The Keras release the checks are for: ``target-keras``, else ``keras-version``,
        else the ``keras`` distribution installed beside kcheck, else the newest Keras 3."""
        if self.target_keras is not None:
            return self.target_keras
        if self.keras_version is not None:
            return (self.keras_version,)
        return installed_keras_version() or (3,)

    def reports(self, path: str | Path, code: str) -> bool:
        """False when ``per-file-ignores`` switches *code* off for *path*."""
        return not any(code.startswith(prefix) for prefix in self.ignored_codes(path))

    def override(self, **settings) -> Config:
        """A copy with the given settings replaced; ``None`` values leave a setting alone."""
        return replace(self, **{k: v for k, v in settings.items() if v is not None})

    def with_keras_flags(self, keras_version: int | None,
                         target_keras: tuple[int, ...] | None) -> Config:
        """A copy with command-line ``--keras-version`` / ``--target-keras`` on top: either
        flag replaces both file keys, so a flag never meets a file key it contradicts."""
        if keras_version is None and target_keras is None:
            return self
        if keras_version is not None and target_keras is not None and \
                target_keras[0] != keras_version:
            raise ConfigError(f"--target-keras {_shown_version(target_keras)} is not Keras "
                              f"{keras_version} (--keras-version); give one of the two")
        return replace(self, keras_version=keras_version, target_keras=target_keras)

    def relative(self, path: str | Path) -> str:
        """*path* relative to this config's folder, with ``/`` separators (absolute if outside)."""
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(Path(os.path.abspath(self.root))).as_posix()
        except ValueError:
            return absolute.as_posix()

    def is_excluded(self, path: str | Path) -> bool:
        """True when *path*, or a folder it is in, matches an ``exclude`` glob."""
        if not self.exclude:
            return False
        relative = self.relative(path)
        return any(glob_matches(pattern, relative) for pattern in self.exclude)

    def ignored_codes(self, path: str | Path) -> tuple[str, ...]:
        """The codes (or prefixes) ``per-file-ignores`` switches off for *path*."""
        if not self.per_file_ignores:
            return ()
        relative = self.relative(path)
        codes: list[str] = []
        for pattern, ignored in self.per_file_ignores:
            if glob_matches(pattern, relative):
                codes.extend(ignored)
        return tuple(codes)


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """``*`` and ``?`` stay inside one path segment, ``**`` crosses segments."""
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1:end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out))


def glob_matches(pattern: str, relative: str) -> bool:
    """gitignore-like matching of one glob against a ``/``-separated relative path.

    A pattern without ``/`` matches any single path segment (``build``, ``test_*.py``); one
    with ``/`` matches from the config's folder (``tests/*``, ``src/**/legacy_*.py``). A
    pattern that matches a folder matches everything under it.
    """
    pattern = pattern.strip().removeprefix("./").rstrip("/")
    if not pattern:
        return False
    parts = relative.split("/")
    if "/" not in pattern:
        regex = _glob_regex(pattern)
        return any(regex.fullmatch(part) for part in parts)
    regex = _glob_regex(pattern.lstrip("/"))
    return any(regex.fullmatch("/".join(parts[:end])) for end in range(1, len(parts) + 1))


# -- reading ---------------------------------------------------------------------------------

def _error(path: Path, key: str, message: str) -> ConfigError:
    return ConfigError(f"{path}: [tool.kcheck] {key}: {message}")


def _string_list(path: Path, key: str, value) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _error(path, key, f"expected a list of strings, got {value!r}")
    return tuple(item.strip() for item in value if item.strip())


def _codes(path: Path, key: str, value) -> tuple[str, ...]:
    codes = tuple(code.upper() for code in _string_list(path, key, value))
    try:
        Selection(select=codes).validate()
    except SelectionError as error:
        raise _error(path, key, str(error).removeprefix("--select: ")) from None
    return codes


def _per_file_ignores(path: Path, key: str, value) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, Mapping):
        raise _error(path, key, 'expected a table of glob = ["codes"], e.g. '
                                '"tests/*" = ["KS301"]')
    return tuple((glob, _codes(path, f'{key}."{glob}"', codes))
                 for glob, codes in value.items())


def _keras_version(path: Path, key: str, value) -> int:
    if isinstance(value, bool) or value not in (2, 3):
        raise _error(path, key, f"expected 2 or 3, got {value!r}")
    return int(value)


def _target_keras(path: Path, key: str, value) -> tuple[int, ...]:
    if isinstance(value, float):
        raise _error(path, key, f"write the version as a string, e.g. \"{value}\" (a TOML number "
                                "cannot tell 3.1 from 3.10)")
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _error(path, key, f"expected a Keras version string like \"3.3\", got {value!r}")
    try:
        return parse_keras_version(str(value))
    except ValueError as error:
        raise _error(path, key, str(error)) from None


def _decorators(path: Path, key: str, value) -> tuple[str, ...]:
    names = _string_list(path, key, value)
    for name in names:
        if not _DOTTED.match(name):
            raise _error(path, key, f"{name!r} is not a dotted name like 'mypkg.registry.register'")
    return names


def _examples(path: Path, key: str, value) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        raise _error(path, key, 'expected a table of "module:Class" = "constructor expression"')
    examples = []
    for target, expression in value.items():
        where = f'{key}."{target}"'
        if not _EXAMPLE_TARGET.match(target):
            raise _error(path, where, "the key must be 'module:Class' (or 'path.py:Class'), "
                                      "e.g. 'mypkg.layers:Gate'")
        if not isinstance(expression, str) or not expression.strip():
            raise _error(path, where, f"expected a constructor expression string, got "
                                      f"{expression!r}")
        try:
            import ast  # only a configuration with examples needs it

            ast.parse(expression.strip(), mode="eval")
        except SyntaxError as error:
            raise _error(path, where, f"not a Python expression: {error.msg}") from None
        examples.append((target, expression.strip()))
    return tuple(examples)


def _timeout(path: Path, key: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise _error(path, key, f"expected a positive number of seconds, got {value!r}")
    return float(value)


def _boolean(path: Path, key: str, value) -> bool:
    if not isinstance(value, bool):
        raise _error(path, key, f"expected true or false, got {value!r}")
    return value


def _package(path: Path, key: str, value) -> str:
    if not isinstance(value, str) or not value.strip() or ">" in value:
        raise _error(path, key, f"expected a package name such as 'mypkg', got {value!r}")
    return value.strip()


# key in pyproject -> (Config field, parser)
_KEYS = {
    "select": ("select", _codes),
    "extend-select": ("extend_select", _codes),
    "ignore": ("ignore", _codes),
    "per-file-ignores": ("per_file_ignores", _per_file_ignores),
    "exclude": ("exclude", _string_list),
    "keras-version": ("keras_version", _keras_version),
    "target-keras": ("target_keras", _target_keras),
    "extra-registration-decorators": ("extra_registration_decorators", _decorators),
    "examples": ("examples", _examples),
    "verify-timeout": ("verify_timeout", _timeout),
    "fixable": ("fixable", _codes),
    "unfixable": ("unfixable", _codes),
    "unsafe-fixes": ("unsafe_fixes", _boolean),
    "registration-package": ("registration_package", _package),
}
KEYS = tuple(_KEYS)


def _read_toml(path: Path) -> dict:
    # Imported here: most runs find no pyproject.toml with a [tool.kcheck] table on the way up.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid UTF-8") from None


def _kcheck_table(path: Path) -> dict | None:
    tool = _read_toml(path).get("tool")
    if not isinstance(tool, dict) or "kcheck" not in tool:
        return None
    table = tool["kcheck"]
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.kcheck] must be a table")
    return table


def load_config(path: str | Path) -> Config:
    """Read ``[tool.kcheck]`` from *path*; a file without the table gives the defaults."""
    path = Path(os.path.abspath(path))
    table = _kcheck_table(path) or {}
    settings = {}
    for key, value in table.items():
        if key not in _KEYS:
            known = ", ".join(KEYS)
            underscored = key.replace("_", "-")
            hint = f" (did you mean {underscored!r}?)" if underscored in _KEYS else ""
            raise _error(path, key, f"unknown key{hint}; known keys: {known}")
        name, parse = _KEYS[key]
        settings[name] = parse(path, key, value)
    target, major = settings.get("target_keras"), settings.get("keras_version")
    if target is not None and major is not None and target[0] != major:
        raise _error(path, "target-keras", f"{_shown_version(target)} is not Keras {major} "
                                           "(keras-version); keep one of the two")
    return Config(path=path, root=path.parent, **settings)


# keras-3.12.0.dist-info, Keras-2.3.1-py3.7.egg-info, keras.egg-info (a source checkout)
_KERAS_METADATA = re.compile(r"^keras(-[^-]+(-py[\d.]+)?)?\.(dist|egg)-info$", re.IGNORECASE)


def _metadata_version(path: str) -> str | None:
    """The ``Version:`` header of a METADATA or PKG-INFO file."""
    try:
        with open(path, encoding="utf-8", errors="replace") as stream:
            for line in stream:
                if not line.strip():
                    break  # the headers end at the first blank line
                if line.lower().startswith("version:"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def _keras_distribution_version() -> str | None:
    """``importlib.metadata.version("keras")``, found as it finds it (the first distribution
    on sys.path) for the plain layouts, without importing importlib.metadata: that import is
    a tenth of a run answered from the cache. Other layouts (eggs, zips) go to it."""
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in sorted(names):
            if not _KERAS_METADATA.match(name):
                continue
            where = os.path.join(folder, name)
            if os.path.isdir(where):
                where = os.path.join(where, "METADATA" if name.lower().endswith(".dist-info")
                                     else "PKG-INFO")
            version = _metadata_version(where)
            if version:
                return version
    if any(entry.endswith((".egg", ".zip", ".whl")) for entry in sys.path):
        from importlib import metadata

        try:
            return metadata.version("keras")
        except metadata.PackageNotFoundError:
            return None
    return None


@cache
def installed_keras_version() -> tuple[int, ...] | None:
    """The version of the ``keras`` distribution installed beside kcheck, without importing
    it (importing Keras takes seconds and picks a backend); None when there is none."""
    version = _keras_distribution_version()
    if version is None:
        return None
    try:
        return parse_keras_version(version)
    except ValueError:
        return None


# folder -> the nearest pyproject.toml with [tool.kcheck] from there up; each folder is looked
# at once per process.
_CONFIG_FILES: dict[str, Path | None] = {}


def _config_file_in(folder: str) -> Path | None:
    found = _CONFIG_FILES.get(folder, False)
    if found is not False:
        return found
    candidate = os.path.join(folder, CONFIG_NAME)
    # os.path.isfile: a folder that cannot be searched holds no configuration kcheck can use
    # (nor any file it can check), where Path.is_file() would raise PermissionError.
    if os.path.isfile(candidate) and _kcheck_table(Path(candidate)) is not None:
        found = Path(candidate)
    else:
        parent = os.path.dirname(folder)
        found = None if parent == folder else _config_file_in(parent)
    _CONFIG_FILES[folder] = found
    return found


def find_config_file(start: str | Path) -> Path | None:
    """The nearest ``pyproject.toml`` with a ``[tool.kcheck]`` table, from *start* upwards."""
    start = os.path.abspath(start)
    folder = start if os.path.isdir(start) else os.path.dirname(start)
    return _config_file_in(folder)


@cache
def _load_cached(path: Path) -> Config:
    return load_config(path)


def config_for(path: str | Path) -> Config:
    """The settings that apply to *path* (defaults rooted at the working folder if none)."""
    found = find_config_file(path)
    return _load_cached(found) if found is not None else Config()

