"""Check many files: answer the unchanged ones from the result cache, check the rest.

The checker (and with it libcst and the rules) is imported only when some file is not answered
from the cache, so a run over an unchanged tree costs little more than a stat per file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kcheck.engine.cache import ResultCache
from kcheck.engine.options import Options, options_key
from kcheck.engine.violation import FileReport


def _lacks_edits(violations) -> bool:
    """Findings cached by a run whose output needed no fix edits (text, github) lack them."""
    return any(v.fix is not None and "edits" not in v.fix for v in violations)


def check_paths(paths: Sequence[Path], options: Options, jobs: int | None = None,
                cache_dir: Path | None = None) -> list[FileReport]:
    """Check many files, in parallel across cores when there are enough of them.

    With *cache_dir*, unchanged files are answered from the cache and only the rest are checked;
    what they found is added to the cache, which is written once, by this process, at the end.
    Reports come back in the order of *paths*.
    """
    cache = ResultCache(cache_dir, options_key(options)) if cache_dir is not None else None
    reports: list[FileReport] = []
    pending = list(paths)
    if cache is not None:
        pending = []
        for path in paths:
            violations = cache.lookup(path)
            if violations is None or (options.fix_edits and _lacks_edits(violations)):
                pending.append(path)
            else:
                reports.append(FileReport(str(path), violations))
    if pending:
        from kcheck.engine.checker import check_many

        checked = check_many(pending, options, jobs, record=cache is not None)
        if cache is not None:
            by_name = {str(path): path for path in pending}
            for report in checked:
                if report.stamp is not None and report.path in by_name:
                    cache.record(by_name[report.path], report.stamp, report.violations,
                                 report.dependencies or ())
        reports.extend(checked)
    if cache is not None:
        cache.save()
    if len(reports) > 1:
        order = {str(path): index for index, path in enumerate(paths)}
        reports.sort(key=lambda report: order.get(report.path, 0))
    return reports
