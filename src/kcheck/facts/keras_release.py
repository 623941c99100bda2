"""Keras release numbers: ``"3.3"`` read as ``(3, 3)``, and whether a target is before a bound.

Pure Python with no imports from the rest of kcheck, so the configuration reads
``target-keras`` on a run that imports no rule and no parser.
"""

from __future__ import annotations

import re


def parse_keras_version(text: str) -> tuple[int, ...]:
    """``"3"`` -> ``(3,)``, ``"3.3"`` -> ``(3, 3)``, ``"3.3.1"`` -> ``(3, 3, 1)``; a
    pre-release or local suffix (``3.4.0rc1``, ``3.1.1+cpu``) is dropped from the last part.

    Raises ValueError for anything else, or a major version other than 2 or 3.
    """
    parts = str(text).strip().split(".")
    if not 1 <= len(parts) <= 3:
        raise ValueError(f"expected a Keras version like '3' or '3.3', got {text!r}")
    numbers = []
    for index, part in enumerate(parts):
        digits = part
        if index == len(parts) - 1 and index > 0:
            digits = re.match(r"\d*", part).group(0)
        if not digits.isdigit():
            raise ValueError(f"expected a Keras version like '3' or '3.3', got {text!r}")
        numbers.append(int(digits))
    if numbers[0] not in (2, 3):
        raise ValueError(f"Keras major version must be 2 or 3, got {text!r}")
    return tuple(numbers)


def version_before(target: tuple[int, ...], bound: tuple[int, ...]) -> bool:
    """``target < bound``, where a part *target* does not give stands for its newest release."""
    for index, wanted in enumerate(bound):
        if index >= len(target):
            return False  # the newest release of target's prefix is not before bound
        if target[index] != wanted:
            return target[index] < wanted
    return False
