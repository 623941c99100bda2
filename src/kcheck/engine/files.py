"""Finding the Python files and Jupyter notebooks under the paths a user names."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

CHECKED_SUFFIXES = (".py", ".ipynb")
SKIPPED_DIRS = frozenset({
    ".git", ".hg", ".svn", "__pycache__", ".tox", ".nox", ".venv", "venv", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", ".eggs", "node_modules", "site-packages", ".kcheck_cache",
    ".ipynb_checkpoints",  # Jupyter's autosaved copies of every notebook
})


def _skip_dir(path: Path) -> bool:
    name = path.name
    return (name in SKIPPED_DIRS or name.endswith(".egg-info")
            or (path / "pyvenv.cfg").is_file())


def discover(paths: Iterable[str | Path],
             excluded: Callable[[Path], bool] | None = None) -> tuple[list[Path], list[str]]:
    """Python files and notebooks under *paths*, and messages for paths that do not exist.

    Files named explicitly are checked whatever their suffix; folders are searched for
    ``*.py`` files and ``*.ipynb`` notebooks (as ruff does; ``exclude = ["*.ipynb"]`` leaves
    notebooks out), skipping version-control folders, caches and virtual environments.
    Paths for which *excluded* is true (the configuration's ``exclude`` globs) are skipped
    wherever they come from, so pre-commit, which names each file, skips what ``kcheck .``
    skips.
    """
    excluded = excluded or (lambda path: False)
    found: list[Path] = []
    missing: list[str] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.exists() and excluded(path):
            continue
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = []
            for folder, dirnames, filenames in os.walk(path):
                here = Path(folder)
                dirnames[:] = sorted(d for d in dirnames
                                     if not _skip_dir(here / d) and not excluded(here / d))
                candidates.extend(here / f for f in sorted(filenames)
                                  if f.endswith(CHECKED_SUFFIXES) and not excluded(here / f))
        else:
            missing.append(f"{raw}: no such file or directory")
            continue
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, missing
