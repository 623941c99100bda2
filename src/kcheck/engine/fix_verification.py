"""``--fix --verify``: prove each fix by the verifier's round trip before it is written.

The fixed text of every file goes into a scratch copy of its import tree (the top-level package,
or a script's folder), so the fixed class is imported the way Keras would import it. The
verifier then builds, saves and reloads each fixed class (or call) there, and the original too
for the "before" half of the report. Per class, all its fixes are kept or dropped together:

- *verified*: the round trip is clean after the fix;
- *not applied*: the fixed class still fails, and the verdict says why;
- *unverified*: the verifier could not build it; the fix is kept only if it is safe.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from kcheck.engine.fixing import AppliedFix, FixResult
from kcheck.engine.verification import NotebookScripts, build_targets
from kcheck.engine.violation import Violation
from kcheck.facts.project import module_name_for
from kcheck.fixes import SAFE

_COPY_LIMIT = 4000  # files of one import tree copied for verification at most


def _tree_of(path: Path) -> tuple[Path, Path]:
    """(folder to copy, the folder module names are relative to) for *path*."""
    name, root, _ = module_name_for(path)
    top = name.split(".")[0]
    if (root / top / "__init__.py").is_file():
        return root / top, root
    return path.resolve().parent, path.resolve().parent


def _copy_tree(source: Path, target: Path) -> None:
    """Copy the Python files of *source* into *target* (a script's folder: not recursive)."""
    target.mkdir(parents=True, exist_ok=True)
    if not (source / "__init__.py").is_file():
        for item in sorted(source.glob("*.py"))[:_COPY_LIMIT]:
            shutil.copy2(item, target / item.name)
        return
    copied = 0
    for item in sorted(source.rglob("*.py")):
        if "__pycache__" in item.parts or copied >= _COPY_LIMIT:
            continue
        destination = target / item.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(item, destination)
        copied += 1


def _label(verdict) -> str:
    """``NotImplementedError`` / ``config differs`` / ``round trip clean``: the before half."""
    if verdict is None:
        return "not built"
    if verdict.status == "not-reproduced":
        return "round trip clean"
    if verdict.status == "inconclusive":
        return "not buildable"
    head = verdict.detail.split(":", 1)[0].strip()
    return head if 0 < len(head) <= 40 else verdict.detail[:40].rstrip() + "..."


def verify_fixes(results: Sequence[FixResult], *, timeout: float, jobs: int | None,
                 declared: dict[str, str] | None = None, import_mode: str = "strip",
                 progress: Callable[[int, int], None] | None = None) -> set[tuple]:
    """Set each applied fix's ``status`` and ``detail``; return the keys of the fixes that must
    not be written (``FixResult`` / ``fix_text(skip=...)``)."""
    from kcheck.verify import verify_targets

    changed = [r for r in results if r.applied and r.changed]
    if not changed:
        return set()
    scratch = Path(tempfile.mkdtemp(prefix="kcheck-fix-verify-"))
    try:
        where: dict[str, Path] = {}
        copied: dict[Path, Path] = {}
        for result in changed:
            original = Path(result.path).resolve()
            folder, root = _tree_of(original)
            if folder not in copied:
                copied[folder] = scratch / f"t{len(copied)}"
                _copy_tree(folder, copied[folder] / folder.relative_to(root))
            fixed = copied[folder] / original.relative_to(root)
            fixed.parent.mkdir(parents=True, exist_ok=True)
            fixed.write_text(result.fixed, encoding="utf-8")
            where[result.path] = fixed
        probes: list[Violation] = []
        units: list[tuple[FixResult, AppliedFix, int | None, int | None]] = []
        for result in changed:
            for fix in result.applied:
                before_at = after_at = None
                if fix.class_name or fix.subject_before:
                    before_at = len(probes)
                    probes.append(Violation(result.path, fix.line, fix.column, fix.code, "",
                                            fix.class_name, subject=fix.subject_before))
                if fix.class_name or fix.subject:
                    after_at = len(probes)
                    probes.append(Violation(str(where[result.path]), fix.line, fix.column,
                                            fix.code, "", fix.class_name, subject=fix.subject))
                units.append((result, fix, before_at, after_at))
        notebooks = NotebookScripts()  # a notebook is verified through its cells' script
        try:
            keys, targets, _unverifiable = build_targets(probes, declared, import_mode,
                                                         notebooks)
            with notebooks.import_path():
                verdicts = dict(zip(keys, verify_targets(targets, timeout=timeout, jobs=jobs,
                                                         progress=progress)))
        finally:
            notebooks.remove()

        def verdict_at(index: int | None):
            if index is None:
                return None
            probe = probes[index]
            return verdicts.get((probe.path, probe.class_name or probe.subject or ""))

        failing: set[tuple[str, str | None]] = set()
        outcome: dict[int, tuple] = {}
        for number, (result, fix, before_at, after_at) in enumerate(units):
            before, after = verdict_at(before_at), verdict_at(after_at)
            outcome[number] = (before, after)
            if after is not None and after.status == "confirmed":
                failing.add((result.path, fix.class_name or fix.subject))
        skip: set[tuple] = set()
        for number, (result, fix, _b, _a) in enumerate(units):
            before, after = outcome[number]
            unit = (result.path, fix.class_name or fix.subject)
            if unit in failing:
                fix.status = "not-applied"
                if after is not None and after.status == "confirmed":
                    fix.detail = f"the fixed class still fails: {after.detail}"
                else:
                    fix.detail = "another fix of the same class does not round-trip"
                skip.add((result.path, fix.key))
            elif after is not None and after.status == "not-reproduced":
                fix.status = "verified"
                fix.detail = f"{_label(before)} before, round trip clean after"
            else:
                fix.status = "unverified"
                why = after.detail if after is not None else \
                    "the verifier builds classes and built-in layer calls, not this"
                kept = "applied: the fix is safe" if fix.applicability == SAFE else \
                    "not applied: an unsafe fix is written only when verified"
                fix.detail = f"{kept} ({why})"
                if fix.applicability != SAFE:
                    skip.add((result.path, fix.key))
        return skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
