"""A cache of each file's findings, so repeated runs (a pre-commit hook) skip unchanged files.

An entry is keyed on the file's text, its resolved path, the options, and the versions of kcheck
(including a fingerprint of its own source, so editing a rule invalidates it) and libcst. It
also records the content hash of every other module the findings depended on (base classes,
registering decorators in other files), and, as absent, every file an import that did not
resolve looked for and the ``__init__.py`` that would make the file's folder a package; editing
one of those, or creating one that was absent, invalidates the entry too.
Entries are one small JSON file each, so parallel workers never write the same file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, fields
from functools import lru_cache
from pathlib import Path

import libcst

from kcheck import __version__
from kcheck.engine.violation import Violation
from kcheck.sources.python import SourceError, read_bytes

DEFAULT_DIRECTORY = ".kcheck_cache"
_FORMAT = "1"


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    package = Path(__file__).resolve().parents[1]  # all of kcheck, not only the engine
    digest = hashlib.sha256(f"{__version__} {getattr(libcst, '__version__', '')}".encode())
    for source in sorted(package.rglob("*.py")):
        stat = source.stat()
        digest.update(f"{source.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _file_hash(path: str) -> str | None:
    try:
        return hashlib.sha256(read_bytes(path)).hexdigest()
    except (OSError, SourceError):
        return None


# Types of the stored violation fields this module knows; a field Violation gains later is
# checked only by constructing the Violation.
_TYPES = {"path": str, "line": int, "column": int, "code": str, "message": str,
          "class_name": (str, None), "severity": str, "verification": (dict, None),
          "subject": (str, None)}
_REQUIRED = frozenset({"line", "column", "code", "message"})


def _valid(value, kind) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return any(value is None if k is None else
               isinstance(value, k) and not (k is int and isinstance(value, bool))
               for k in kinds)


def _read_entry(data, display: str) -> list[Violation] | None:
    """The violations of a cache entry, or None when it is not shaped as this version writes
    it (hand-edited, truncated into other valid JSON, written by another tool): a miss."""
    if not isinstance(data, dict) or not isinstance(data.get("violations"), list):
        return None
    dependencies = data.get("dependencies")
    if not isinstance(dependencies, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str))
            for k, v in dependencies.items()):
        return None
    known = {field.name for field in fields(Violation)}
    violations = []
    for item in data["violations"]:
        if not isinstance(item, dict) or not _REQUIRED <= set(item) <= known or \
                not all(_valid(value, _TYPES[name]) for name, value in item.items()
                        if name in _TYPES):
            return None
        if item["line"] < 1 or item["column"] < 1:
            return None
        try:
            violations.append(Violation(**{**item, "path": display}))
        except (TypeError, ValueError):
            return None
    return violations


class ResultCache:
    """Findings per file, stored under *directory* (created on first write)."""

    def __init__(self, directory: Path, options_key: str) -> None:
        self.directory = Path(directory) / f"v{_FORMAT}-{_code_fingerprint()}"
        self.options_key = options_key

    def _entry(self, path: Path, text: str) -> Path:
        key = hashlib.sha256(
            f"{path.resolve()}\0{self.options_key}\0{content_hash(text)}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.json"

    def lookup(self, path: Path, text: str, display: str) -> list[Violation] | None:
        """The cached findings, or None when there is no valid entry."""
        try:
            data = json.loads(self._entry(path, text).read_text())
        except (OSError, ValueError):
            return None
        violations = _read_entry(data, display)
        if violations is None:
            return None
        for dependency, digest in data["dependencies"].items():
            if _file_hash(dependency) != digest:
                return None
        return violations

    def store(self, path: Path, text: str, violations: list[Violation],
              dependencies: set[Path]) -> None:
        """Write an entry; a cache that cannot be written is silently not used."""
        entry = self._entry(path, text)
        data = {"violations": [asdict(v) for v in violations],
                "dependencies": {str(d): _file_hash(str(d)) for d in sorted(dependencies)}}
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(handle, "w") as stream:
                json.dump(data, stream)
            os.replace(temporary, entry)
        except OSError:
            pass
