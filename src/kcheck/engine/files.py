"""Finding the Python files and Jupyter notebooks under the paths a user names."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from kcheck.sources.python import file_kind

CHECKED_SUFFIXES = (".py", ".ipynb")
SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", "__pycache__", ".tox", ".nox", ".venv", "venv", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", ".eggs", "node_modules", "site-packages", ".kcheck_cache",
    ".ipynb_checkpoints",  # Jupyter's autosaved copies of every notebook
})


def _skip_dir(path: Path) -> bool:
    name = path.name
    return (name in SKIPPED_DIRS or name.endswith(".egg-info")
            or os.path.isfile(path / "pyvenv.cfg"))


def _stat_problem(raw: str | Path, error: OSError) -> str:
    """Why a named path cannot be checked, in the words a user would look for."""
    if error.errno == errno.ELOOP:
        return f"{raw}: symbolic link loop; not checked"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        if os.path.islink(raw):
            return f"{raw}: broken symbolic link (its target does not exist); not checked"
        return f"{raw}: no such file or directory"
    return f"{raw}: cannot read: {error.strerror or error}"


def discover(paths: Iterable[str | Path],
             excluded: Callable[[Path], bool] | None = None) -> tuple[list[Path], list[str]]:
    """Python files and notebooks under *paths*, and messages for paths that cannot be checked.

    Files named explicitly are checked whatever their suffix; folders are searched for
    ``*.py`` files and ``*.ipynb`` notebooks (as ruff does; ``exclude = ["*.ipynb"]`` leaves
    notebooks out), skipping version-control folders, caches and virtual environments.
    Paths for which *excluded* is true (the configuration's ``exclude`` globs) are skipped
    wherever they come from, so pre-commit, which names each file, skips what ``kcheck .``
    skips.

    Only regular files are read: a FIFO, socket or device named on the command line gets a
    message saying what it is, and one inside a folder is passed over (reading a FIFO would
    block forever). A symbolic link loop, a broken link or a folder that cannot be listed gets a
    message; a ``*.py`` link inside a folder that cannot be followed is kept, so that reading it
    reports it as KS000.
    """
    excluded = excluded or (lambda path: False)
    found: list[Path] = []
    problems: list[str] = []
    seen: set[str] = set()
    folders: dict[str, str] = {}  # a folder -> its resolved form, resolved once
    for raw in paths:
        path = Path(raw)
        try:
            mode = os.stat(path).st_mode
        except OSError as error:
            problems.append(_stat_problem(raw, error))
            continue
        if excluded(path):
            continue
        if stat.S_ISREG(mode):
            candidates = [(path, os.path.islink(path))]
        elif stat.S_ISDIR(mode):
            candidates = _walk(path, excluded, problems)
        else:
            problems.append(f"{raw}: {file_kind(mode)}, not a regular file; not read")
            continue
        for candidate, linked in candidates:
            if linked:
                key = os.path.realpath(candidate)
            else:
                folder, name = os.path.split(os.path.abspath(candidate))
                real = folders.get(folder)
                if real is None:
                    real = folders[folder] = os.path.realpath(folder)
                key = os.path.join(real, name)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, problems


def _walk(top: Path, excluded: Callable[[Path], bool],
          problems: list[str]) -> list[tuple[Path, bool]]:
    """The checked files under *top*, each with whether it is a symbolic link, in sorted order
    folder by folder. The folder listing says what each name is, so a regular file costs no
    stat of its own."""
    candidates: list[tuple[Path, bool]] = []
    pending = [top]
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            problems.append(f"{error.filename or here}: cannot list folder: "
                            f"{error.strerror or error}; its files are not checked")
            continue
        folders = []
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            candidate = here / entry.name
            if is_dir:
                # as os.walk: a linked folder is not entered (no loops, no trees elsewhere)
                if not entry.is_symlink() and not _skip_dir(candidate) and \
                        not excluded(candidate):
                    folders.append(candidate)
                continue
            if not entry.name.endswith(CHECKED_SUFFIXES) or excluded(candidate):
                continue
            linked = entry.is_symlink()
            try:
                regular = entry.is_file()  # follows a link; free for a plain file
            except OSError:
                regular = True
            if regular or linked and not os.path.exists(candidate):
                # a loop or broken link: reading it says so, as KS000
                candidates.append((candidate, linked))
        pending.extend(reversed(folders))
    return candidates
