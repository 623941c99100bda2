"""Apply the fixes of one file: pass after pass, never two conflicting fixes in one pass.

Each pass checks the current text, picks the allowed fixes whose edits do not meet, applies
them in one libcst transformation, and checks that the result still parses (libcst and
``compile()``). The next pass starts from a fresh check of the new text, so fixes are always
built from facts that match the text they edit. A fix that breaks the module, or whose finding
comes back after it was applied, is dropped and reported as failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kcheck.engine.checker import FileReport, Options, _check_source
from kcheck.engine.fix_policy import FixPolicy
from kcheck.engine.violation import Violation
from kcheck.facts.project import Project
from kcheck.fixes import Fix, apply_fixes
from kcheck.fixes.edits import conflicts, spans, validate
from kcheck.sources.notebook import NotebookModule, is_notebook, read_notebook
from kcheck.sources.python import SourceError

MAX_PASSES = 12


@dataclass
class AppliedFix:
    """One fix made to a file, as reported by ``--show-fixes`` and ``--fix --verify``."""

    code: str
    message: str  # the fix's message
    applicability: str
    line: int  # of the finding, in the text the fix was applied to
    column: int
    class_name: str | None
    subject: str | None  # what the verifier builds after the fix (class or call)
    subject_before: str | None = None  # and before it, when that differs (a save path)
    status: str = "applied"  # applied | verified | not-applied | unverified | failed
    detail: str = ""
    cell: int | None = None  # for a notebook: the cell of the finding; line is in that cell

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.code, self.class_name or self.subject)


@dataclass
class FixResult:
    """The outcome of fixing one file's text."""

    path: str
    original: str
    fixed: str
    applied: list[AppliedFix] = field(default_factory=list)
    failed: list[AppliedFix] = field(default_factory=list)
    report: FileReport | None = None  # the findings left in the fixed text

    @property
    def changed(self) -> bool:
        return self.fixed != self.original


def _identity(violation: Violation, fix: Fix) -> tuple:
    return (violation.code, violation.class_name, violation.message, fix.message)


def _record(violation: Violation, fix: Fix) -> AppliedFix:
    subject = None if violation.class_name else (fix.subject_after or violation.subject)
    return AppliedFix(violation.code, fix.message, fix.applicability, violation.line,
                      violation.column, violation.class_name, subject,
                      None if violation.class_name else violation.subject,
                      cell=violation.cell)


def _choose(candidates):
    """Fixes of one pass: in source order, skipping any whose spans meet a chosen one's;
    identical repairs of several findings (one from_config for two keys) count once."""
    chosen, taken, keys = [], [], set()
    for violation, fix, _tree, positions in candidates:
        if fix.key and fix.key in keys:
            chosen.append((violation, fix, False))
            continue
        ranges = spans(fix, positions)
        if any(conflicts(ranges, other) for other in taken):
            continue
        taken.append(ranges)
        if fix.key:
            keys.add(fix.key)
        chosen.append((violation, fix, True))
    return chosen


def _notebook(path: Path, text: str) -> NotebookModule | None:
    """The notebook *text* is, when *path* is one (its check reported it if it is broken)."""
    if not is_notebook(path):
        return None
    try:
        return read_notebook(text)
    except SourceError:
        return None


def fix_text(path: Path, text: str, options: Options, policy: FixPolicy,
             skip: Iterable[tuple] = (), display: str | None = None) -> FixResult:
    """Apply every fix *policy* allows to *text* (the content of *path*); nothing is written.

    *skip* holds ``(code, class or subject)`` keys of fixes not to apply (``--fix --verify``
    leaves out the ones whose round trip failed). A fix whose finding survives it is no fix:
    it is reported as failed and the file is fixed again from the start without it.

    A notebook is fixed as the module of its code cells; after each pass the changed cells are
    written back into the notebook's text (sources.notebook), so *text* and the result are the
    ``.ipynb`` file's text and every byte outside the changed cells' sources stays.
    """
    skip = set(skip)
    refused: set[tuple] = set()
    failed: list[AppliedFix] = []
    for _ in range(4):
        result, survived = _fix_passes(path, text, options, policy, skip, refused, failed)
        if not survived:
            break
    result.failed = failed
    result.path = display or str(path)
    result.report = _check_source(path, result.fixed, options, Project())
    if display:
        for violation in result.report.violations:
            violation.path = display
    return result


def _refuse(failed: list[AppliedFix], refused: set[tuple], violation: Violation, fix: Fix,
            why: str) -> None:
    refused.add(_identity(violation, fix))
    record = _record(violation, fix)
    record.status, record.detail = "failed", why
    failed.append(record)


def _fix_passes(path: Path, text: str, options: Options, policy: FixPolicy, skip: set,
                refused: set, failed: list) -> tuple[FixResult, bool]:
    """Passes from *text* until nothing is left to fix; True when a finding survived its fix
    (the caller starts over without that fix)."""
    result = FixResult(str(path), text, text)
    done: set[tuple] = set()
    current = text
    for _ in range(MAX_PASSES):
        pairs: list = []
        _check_source(path, current, options, Project(), fixes=pairs)
        candidates = []
        survived = False
        for item in pairs:
            violation, fix = item[0], item[1]
            identity = _identity(violation, fix)
            if not policy.allows(violation.code, fix.applicability) or identity in refused \
                    or _record(violation, fix).key in skip:
                continue
            if identity in done:
                _refuse(failed, refused, violation, fix, "the finding remained after the fix")
                survived = True
                continue
            candidates.append(item)
        if survived:
            return result, True
        if not candidates:
            break
        notebook = _notebook(path, current)
        source = notebook.text if notebook is not None else current
        chosen = _choose(candidates)
        tree = candidates[0][2]
        fixes = [fix for _, fix, new in chosen if new]
        try:
            code = apply_fixes(tree, fixes).code
            problem = validate(code)
        except Exception as error:  # noqa: BLE001 - a broken fix must never break the run
            code, problem = source, f"{type(error).__name__}: {error}"
        if problem is not None or code == source:
            # find the culprits one by one; the good fixes go in the next passes
            for violation, fix, new in chosen:
                if not new:
                    continue
                try:
                    alone = apply_fixes(tree, [fix]).code
                    why = validate(alone) or ("the fix changed nothing" if alone == source
                                              else None)
                except Exception as error:  # noqa: BLE001
                    why = f"{type(error).__name__}: {error}"
                if why is not None:
                    _refuse(failed, refused, violation, fix, why)
            continue
        for violation, fix, _new in chosen:
            done.add(_identity(violation, fix))
            result.applied.append(_record(violation, fix))
        current = notebook.fixed(code) if notebook is not None else code
    result.fixed = current
    return result, False
