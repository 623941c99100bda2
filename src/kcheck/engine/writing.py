"""Writing a fixed file without ever leaving it half-written or changing how it is stored."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from kcheck.sources.python import encode_source


def write_fixed(path: Path, text: str, original: bytes) -> None:
    """Replace *path* with *text* atomically (a temporary file in the same folder, then a
    rename), in the original's encoding (coding line, BOM) and with its permissions. The
    newline style is the text's own: libcst keeps the file's, and new lines follow it."""
    data = encode_source(text, original)
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".kcheck-fix")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
