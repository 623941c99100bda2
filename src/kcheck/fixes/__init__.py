"""Repairs for findings: libcst transformations a rule builds from the facts it read.

`edits` holds the record a finding carries (:class:`Fix`: applicability, message, edits) and
applies a set of fixes to a module in one pass; `spelling` writes Keras names the way the
module already does; `methods`, `signatures`, `registration` and `save_paths` build the fixes
of the rules that have one.
"""

from kcheck.fixes.edits import SAFE, UNSAFE, Edit, Fix, apply_fixes, conflicts

__all__ = ["SAFE", "UNSAFE", "Edit", "Fix", "apply_fixes", "conflicts"]
