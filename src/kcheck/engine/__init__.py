"""The run machinery: which files to check, the cache, noqa, rule selection and verification.

`checker` parses each file once, extracts its facts and runs the selected rules over them;
`batch` answers unchanged files from `cache` and hands the rest to `checker`; `verification`
hands findings to the verifier (`kcheck.verify`). The front doors call what this package
exports; nothing here imports them.

The checking functions are imported on first use: a run whose files are all answered from the
cache never imports libcst or the rules.
"""

from kcheck.engine.options import Options
from kcheck.engine.violation import FileReport

_CHECKER = ("check_file", "check_source", "file_error_report")


def __getattr__(name: str):
    if name == "check_paths":
        from kcheck.engine.batch import check_paths

        return check_paths
    if name in _CHECKER:
        from kcheck.engine import checker

        return getattr(checker, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FileReport", "Options", "check_file", "check_paths", "check_source",
           "file_error_report"]
