"""KS601: give a save path the ending Keras 3 requires.

Only a path whose end is written in the call (a string, an f-string's last piece, the right
side of ``+`` or ``/``, the last argument of ``os.path.join``) is changed; a path held in a
module constant or built at run time is left alone.
"""

from __future__ import annotations

import libcst as cst

from kcheck.facts.cst_walk import dotted_name
from kcheck.fixes.edits import UNSAFE, Edit, Fix, fix_builder

# Endings of formats Keras 3 no longer writes: replaced rather than kept before .keras.
_OLD_MODEL_ENDINGS = (".tf", ".pb", ".savedmodel", ".ckpt")
_JOIN = ("os.path.join", "posixpath.join", "ntpath.join")


def _literal_end(node: cst.BaseExpression | None):
    """The string node that holds the end of the path: a SimpleString or FormattedStringText."""
    if isinstance(node, cst.SimpleString):
        return node
    if isinstance(node, cst.ConcatenatedString):
        return _literal_end(node.right)
    if isinstance(node, cst.FormattedString):
        last = node.parts[-1] if node.parts else None
        return last if isinstance(last, cst.FormattedStringText) else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Divide)):
        return _literal_end(node.right)
    if isinstance(node, cst.Call):
        name = dotted_name(node.func) or ""
        positional = [a for a in node.args if a.keyword is None and not a.star]
        if name in _JOIN and positional:
            return _literal_end(positional[-1].value)
        if name in ("str", "Path", "pathlib.Path", "os.fspath") and len(positional) == 1:
            return _literal_end(positional[0].value)
    return None


def new_ending(kind: str, tail: str, sharded: bool) -> tuple[str, str]:
    """(what to cut from the end of *tail*, what to add) for a model or weights path."""
    lowered = tail.lower()
    if kind == "save":
        for old in _OLD_MODEL_ENDINGS:
            if lowered.endswith(old):
                return tail[-len(old):], ".keras"
        cut = "/" if tail.endswith("/") else ""
        return cut, ".keras"
    wanted = ".weights.json" if sharded else ".weights.h5"
    for old in (".weights.h5", ".weights.json", ".weights", ".hdf5", ".h5", ".ckpt", ".tf"):
        if lowered.endswith(old):
            return tail[-len(old):], wanted
    return "", wanted


@fix_builder
def fix_save_path(kind: str, call: cst.Call, path: cst.BaseExpression | None, tail: str,
                  keywords: frozenset[str]) -> Fix | None:
    """Change the literal end of the path; drop ``save_format=``, which Keras 3 only warns
    about once the path is right. Unsafe: the file lands under another name on disk."""
    node = _literal_end(path)
    if node is None:
        return None
    cut, add = new_ending(kind, tail, "max_shard_size" in keywords)
    if isinstance(node, cst.SimpleString):
        prefix = node.prefix
        quote = node.quote
        raw = node.value[len(prefix) + len(quote):len(node.value) - len(quote)]
    else:
        prefix = quote = ""
        raw = node.value
    if not raw.endswith(cut) or "\\" in raw[len(raw) - len(cut) - 1:] or \
            ("{" in add and isinstance(node, cst.FormattedStringText)):
        return None
    new_raw = raw[:len(raw) - len(cut)] + add
    new_value = f"{prefix}{quote}{new_raw}{quote}"
    new_tail = tail[:len(tail) - len(cut)] + add
    edits = [Edit(node, lambda updated: updated.with_changes(value=new_value))]
    if "save_format" in keywords:
        def drop(updated: cst.Call) -> cst.Call:
            args = list(updated.args)
            index = next(i for i, a in enumerate(args)
                         if a.keyword is not None and a.keyword.value == "save_format")
            removed = args.pop(index)
            if index == len(args) and args:
                args[-1] = args[-1].with_changes(comma=removed.comma)
            return updated.with_changes(args=args)

        edits.append(Edit(call, drop, span=call, at="end"))
    shown = f"'{new_tail}'" if len(new_tail) <= 40 else f"'...{new_tail[-37:]}'"
    extra = " and drop save_format=" if "save_format" in keywords else ""
    subject = None if "max_shard_size" in keywords else f"save-path:{kind}\t{new_tail}"
    return Fix(UNSAFE, f"save to {shown}{extra}", tuple(edits), subject_after=subject)
