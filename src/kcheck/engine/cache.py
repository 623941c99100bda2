"""A cache of each file's findings, so repeated runs (a pre-commit hook) skip unchanged files.

One JSON file per cache folder, options and kcheck code: ``<dir>/v2-<code>/<options>.json``,
where ``<code>`` is a fingerprint of kcheck's own source files and of the libcst release (editing
a rule invalidates everything) and ``<options>`` a digest of the options that change findings.
It holds, for each checked file (by resolved path), an entry: the digest of the bytes that were
checked, the findings, and the digest of every other file the findings depended on (modules of
base classes and registering decorators; ``null`` for a file that was absent: where an import
that did not resolve looked, and the ``__init__.py`` that would make the file's folder a
package). An entry answers only while the file and every such dependency still have the
recorded digest: editing one, or creating one that was absent, invalidates it.

Whether a file is unchanged is decided as ruff does, from its size and modification time
(``st_size``, ``st_mtime_ns``) before anything is read: the file also keeps a stamp of those
with the digest they were seen with. Only when the stat differs is the file read and hashed; a
touched but unchanged file is still a hit, and its stamp is refreshed. A stamp taken within
:data:`RACY_SECONDS` of the file's modification is not trusted (a second edit within the same
timestamp tick could keep size and time), so that file is hashed again on the next run.

The file is read once when a run starts and written once at its end, by the process that
started the run (worker processes never write it), atomically (a temporary file, then
``os.replace``), merged with what is on disk then, so two runs do not lose each other's entries.
A run that only had hits writes nothing; entries of files that no longer exist are dropped
when the file is written. The cache folder gets a ``.gitignore`` and a ``CACHEDIR.TAG`` as
ruff's does. A cache file or entry of any other shape (corrupt, foreign, hand-edited) is a miss,
never an error; a cache folder that cannot be written is silently not used.

This module imports neither libcst nor the rules: a run whose files are all hits needs only it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import stat
import time
from collections import namedtuple
from dataclasses import asdict, fields
from functools import lru_cache
from pathlib import Path

from kcheck import __version__
from kcheck.engine.violation import Violation
from kcheck.sources.python import SourceError, read_bytes

DEFAULT_DIRECTORY = ".kcheck_cache"
_FORMAT = "2"
_MAGIC = f"kcheck-cache-{_FORMAT}"
# Coarse file-system clocks (FAT: 2 s) can give two edits the same mtime.
RACY_SECONDS = 2
_RACY_NS = RACY_SECONDS * 1_000_000_000
_UNTRUSTED = -1  # a stamp's mtime when the stat alone must not decide


def _package_stats(folder: str, digest) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        digest.update(f"{folder}: not listed\n".encode())
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _package_stats(entry.path, digest)
        elif entry.name.endswith(".py"):
            try:
                info = entry.stat()
            except OSError:
                continue
            digest.update(f"{entry.path}:{info.st_size}:{info.st_mtime_ns}\n".encode())


def _libcst_release() -> str:
    """libcst's version file (or where it is), read without importing libcst (~0.2 s)."""
    spec = importlib.util.find_spec("libcst")
    if spec is None or not spec.origin:
        return "no libcst"
    folder = os.path.dirname(spec.origin)
    try:
        with open(os.path.join(folder, "_version.py"), "rb") as handle:
            return folder + handle.read().decode("utf-8", "replace")
    except OSError:
        info = os.stat(spec.origin)
        return f"{spec.origin}:{info.st_size}:{info.st_mtime_ns}"


@lru_cache(maxsize=1)
def _code_fingerprint() -> str:
    digest = hashlib.sha256(f"{__version__}\n{_libcst_release()}\n".encode())
    _package_stats(str(Path(__file__).resolve().parents[1]), digest)  # all of kcheck
    return digest.hexdigest()[:16]


def content_hash(data: bytes) -> str:
    """The digest recorded for a file's bytes."""
    return hashlib.sha256(data).hexdigest()[:32]


class Stamp(namedtuple("Stamp", "size mtime_ns digest")):
    """What a file looked like when its bytes were hashed: ``size``, ``mtime_ns``
    (_UNTRUSTED when the file had changed too recently to rely on it) and ``digest``."""

    __slots__ = ()

    def matches(self, info: os.stat_result) -> bool:
        return self.mtime_ns != _UNTRUSTED and info.st_size == self.size and \
            info.st_mtime_ns == self.mtime_ns


def _stamp(info: os.stat_result, data: bytes, now_ns: int) -> Stamp:
    trusted = info.st_mtime_ns < now_ns - _RACY_NS
    return Stamp(info.st_size, info.st_mtime_ns if trusted else _UNTRUSTED, content_hash(data))


def read_stamped(path: str | Path) -> tuple[Stamp, bytes]:
    """A file's bytes and their stamp, the stat taken before reading (a change while reading
    then shows as a stat that differs next time). SourceError when it cannot be read."""
    now = time.time_ns()
    try:
        info = os.stat(path)
        data = read_bytes(path)
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror or error}") from None
    return _stamp(info, data, now), data


# Types of the stored violation fields this module knows; a field Violation gains later is
# checked only by constructing the Violation.
_TYPES = {"path": str, "line": int, "column": int, "code": str, "message": str,
          "class_name": (str, None), "severity": str, "verification": (dict, None),
          "subject": (str, None), "cell": (int, None), "fix": (dict, None)}
_REQUIRED = frozenset({"line", "column", "code", "message"})
_KNOWN = frozenset(field.name for field in fields(Violation))


def _valid(value, kind) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return any(value is None if k is None else
               isinstance(value, k) and not (k is int and isinstance(value, bool))
               for k in kinds)


def _read_entry(data, display: str) -> list[Violation] | None:
    """The violations of a cache entry, or None when it is not shaped as this version writes
    it (hand-edited, truncated into other valid JSON, written by another tool): a miss."""
    if not isinstance(data, dict) or not isinstance(data.get("violations"), list) or \
            not isinstance(data.get("hash"), str):
        return None
    dependencies = data.get("dependencies")
    if not isinstance(dependencies, dict) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str))
            for k, v in dependencies.items()):
        return None
    violations = []
    for item in data["violations"]:
        if not isinstance(item, dict) or not _REQUIRED <= set(item) <= _KNOWN or \
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


def _read_stamp(value) -> Stamp | None:
    if type(value) is list and len(value) == 3:
        size, mtime_ns, digest = value
        if type(size) is int and type(mtime_ns) is int and type(digest) is str:  # no bools
            return Stamp(size, mtime_ns, digest)
    return None


def _stored(violation: Violation) -> dict:
    data = asdict(violation)
    del data["path"]  # the display path is the caller's
    return {key: value for key, value in data.items()
            if value is not None or key in _REQUIRED}


class ResultCache:
    """Findings per file for one set of options, from one file under *directory*.

    :meth:`lookup` answers from it, :meth:`record` adds what a check found, and :meth:`save`
    writes what changed at the end of the run.
    """

    def __init__(self, directory: Path, options_key: str) -> None:
        self.directory = Path(directory) / f"v{_FORMAT}-{_code_fingerprint()}"
        self.options_key = options_key
        name = hashlib.sha256(options_key.encode()).hexdigest()[:16]
        self.path = self.directory / f"{name}.json"
        entries, stamps = self._load()
        self._entries: dict[str, object] = entries
        self._stamps: dict[str, object] = stamps
        self._digests: dict[str, str | None] = {}  # this run's answer per resolved path
        self._folders: dict[str, str] = {}  # a folder -> its resolved form
        # What this run learnt, written over what is on disk at the end.
        self._new_entries: dict[str, dict] = {}
        self._new_stamps: dict[str, Stamp] = {}
        self._now = time.time_ns()

    def _load(self) -> tuple[dict, dict]:
        try:
            with open(self.path, "rb") as handle:
                data = json.loads(handle.read())
        except (OSError, ValueError, RecursionError):
            return {}, {}
        if not isinstance(data, dict) or data.get("format") != _MAGIC or \
                data.get("options") != self.options_key:
            return {}, {}
        entries, stamps = data.get("entries"), data.get("stamps")
        if not isinstance(entries, dict) or not isinstance(stamps, dict):
            return {}, {}
        return entries, stamps

    # -- where a file is, and whether it changed ---------------------------------------------

    def _locate(self, path: Path) -> tuple[str, os.stat_result]:
        """The resolved path of *path* and its stat (OSError when it cannot be stat'ed).
        Folders are resolved once per run; only a file that is itself a link is resolved
        on its own."""
        folder, name = os.path.split(os.path.abspath(path))
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        key = os.path.join(real, name)
        info = os.lstat(key)
        if stat.S_ISLNK(info.st_mode):
            key = os.path.realpath(key)
            info = os.stat(key)
        return key, info

    def _digest(self, key: str, info: os.stat_result | None = None) -> str | None:
        """The digest of the file at resolved path *key* now: from its stamp when its stat
        matches, else read and hashed (and the stamp refreshed); None when it is absent or
        cannot be read."""
        if key in self._digests:
            return self._digests[key]
        digest = None
        try:
            if info is None:
                info = os.stat(key)
            if stat.S_ISREG(info.st_mode):
                stamp = self._new_stamps.get(key) or _read_stamp(self._stamps.get(key))
                if stamp is not None and stamp.matches(info):
                    digest = stamp.digest
                else:
                    data = read_bytes(key)
                    fresh = _stamp(info, data, self._now)
                    digest = fresh.digest
                    if stamp != fresh:
                        self._new_stamps[key] = fresh
        except (OSError, SourceError):
            digest = None
        self._digests[key] = digest
        return digest

    # -- the three operations -----------------------------------------------------------------

    def lookup(self, path: Path, display: str | None = None) -> list[Violation] | None:
        """The cached findings for *path* (reported under *display*), or None when there is no
        entry that still holds."""
        try:
            key, info = self._locate(path)
        except OSError:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        violations = _read_entry(entry, str(path) if display is None else display)
        if violations is None or self._digest(key, info) != entry["hash"]:
            return None
        for dependency, digest in entry["dependencies"].items():
            if self._digest(dependency) != digest:
                return None
        return violations

    def record(self, path: Path, stamp: Stamp, violations: list[Violation],
               dependencies) -> None:
        """Keep what checking *path* found: *stamp* is that of the bytes that were checked,
        *dependencies* the other files (present or not) the findings depended on."""
        try:
            key, _ = self._locate(path)
        except OSError:
            return
        self._digests[key] = stamp.digest
        self._new_stamps[key] = stamp
        entry = {"hash": stamp.digest, "violations": [_stored(v) for v in violations],
                 "dependencies": {str(d): self._digest(str(d)) for d in sorted(dependencies)}}
        self._entries[key] = self._new_entries[key] = entry

    def save(self) -> None:
        """Write what this run learnt, merged with what is on disk now; nothing when it
        learnt nothing. Entries and stamps of files that no longer exist are dropped. A cache
        that cannot be written is silently not used."""
        if not self._new_entries and not self._new_stamps:
            return
        import tempfile  # only a run that learnt something writes

        temporary = lock = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            _mark_as_cache(self.directory.parent)
            lock = _lock(self.directory / ".lock")
            entries, stamps = self._load()  # what other runs wrote since this one started
            entries.update(self._new_entries)
            stamps.update({key: [s.size, s.mtime_ns, s.digest]
                           for key, s in self._new_stamps.items()})
            data = {"format": _MAGIC, "kcheck": __version__, "options": self.options_key,
                    "stamps": {key: value for key, value in stamps.items()
                               if key in self._new_stamps or os.path.exists(key)},
                    "entries": {key: value for key, value in entries.items()
                                if key in self._new_entries or os.path.exists(key)}}
            handle, temporary = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(handle, "w") as stream:
                json.dump(data, stream, separators=(",", ":"))
            os.replace(temporary, self.path)
            temporary = None
        except (OSError, ValueError):
            pass
        finally:
            if temporary is not None:
                try:
                    os.unlink(temporary)
                except OSError:
                    pass
            if lock is not None:
                lock.close()  # closing the file releases the lock
        self._new_entries, self._new_stamps = {}, {}


def _mark_as_cache(folder: Path) -> None:
    """As ruff marks its cache: git ignores the folder, backup tools may skip it."""
    for name, text in ((".gitignore", "# Automatically created by kcheck.\n*\n"),
                       ("CACHEDIR.TAG", "Signature: 8a477f597d28d172789f06886806bc55\n"
                                        "# This file is a cache directory tag created by "
                                        "kcheck.\n")):
        marker = folder / name
        if not marker.exists():
            try:
                marker.write_text(text)
            except OSError:
                pass


def _lock(path: Path):
    """An open file holding an exclusive lock on *path* (POSIX), so two runs that end together
    merge one after the other; where locking is not available, merging is still done."""
    stream = open(path, "a")  # noqa: SIM115 - held until save() closes it
    try:
        import fcntl

        fcntl.flock(stream.fileno(), fcntl.LOCK_EX)
    except (ImportError, OSError):
        pass
    return stream
