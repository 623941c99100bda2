"""A cheap text test that skips files which cannot hold a Keras class or call.

A file is parsed when it mentions keras (or ``custom_objects``, or tensorflow, whose top-level
``tf.losses``, ``tf.metrics``, ``tf.optimizers``, ... are Keras classes), or when it defines a class
whose base is imported from elsewhere in the same tree (a relative import, or an absolute one
whose first name is a module or package beside the file's import root): such a class may
inherit from a Keras class defined in another file.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_KERAS = re.compile(r"keras|custom_objects|tensorflow")
_SUBCLASS = re.compile(r"^[ \t]*class[ \t]+\w+[ \t]*\([ \t]*([A-Za-z_][\w.]*)", re.MULTILINE)
_FROM_IMPORT = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import\b", re.MULTILINE)


def might_use_keras(text: str, import_root: Path | None = None) -> bool:
    """True unless the text shows the file cannot matter to any kcheck rule."""
    if _KERAS.search(text):
        return True
    if not _SUBCLASS.search(text):
        return False
    for dots, module in _FROM_IMPORT.findall(text):
        if dots:
            return True
        if import_root is not None and module:
            top = module.split(".")[0]
            if os.path.isdir(import_root / top) or os.path.isfile(import_root / f"{top}.py"):
                return True
    return False
