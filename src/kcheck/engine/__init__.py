"""The run machinery: which files to check, the cache, noqa, rule selection and verification.

`checker` parses each file once, extracts its facts and runs the selected rules over them;
`verification` hands findings to the runtime verifier (`kcheck.verify`). The front doors call
what this package exports; nothing here imports them.
"""

from kcheck.engine.checker import (
    FileReport,
    Options,
    check_file,
    check_paths,
    check_source,
    file_error_report,
)

__all__ = ["FileReport", "Options", "check_file", "check_paths", "check_source",
           "file_error_report"]
