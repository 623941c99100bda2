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
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

import libcst

from kcheck import __version__
from kcheck.engine.violation import Violation

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
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


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
        for dependency, digest in data.get("dependencies", {}).items():
            if _file_hash(dependency) != digest:
                return None
        return [Violation(**{**item, "path": display}) for item in data["violations"]]

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
