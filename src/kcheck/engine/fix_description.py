"""A fix as data: what the json format prints and what the cache stores.

The edits are the fix applied alone to the file, as line ranges of the original text and the
text that replaces them (ruff's ``location`` / ``end_location`` / ``content``).
"""

from __future__ import annotations

import difflib

import libcst as cst

from kcheck.fixes import Fix, apply_fixes


def fix_edits(fix: Fix, tree: cst.Module, before: list[str] | None = None) -> list[dict]:
    """Line-level edits that turn the original text into the text with *fix* applied.
    *before* is ``tree.code.splitlines(keepends=True)``, when the caller has it."""
    if before is None:
        before = tree.code.splitlines(keepends=True)
    try:
        after = apply_fixes(tree, [fix]).code.splitlines(keepends=True)
    except Exception as error:  # noqa: BLE001 - a broken fix must not break checking
        return [{"error": f"{type(error).__name__}: {error}"}]
    edits = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append({"location": {"row": i1 + 1, "column": 1},
                      "end_location": {"row": i2 + 1, "column": 1},
                      "content": "".join(after[j1:j2])})
    return edits


def describe_fix(fix: Fix | None, tree: cst.Module, edits: bool = True,
                 before: list[str] | None = None) -> dict | None:
    """``{"applicability", "message", "edits"}`` for *fix*, or None. Without *edits* the
    ``edits`` are left out: working them out applies the fix to the whole tree. *before*:
    see :func:`fix_edits`."""
    if fix is None:
        return None
    described = {"applicability": fix.applicability, "message": fix.message}
    if edits:
        described["edits"] = fix_edits(fix, tree, before)
    return described
