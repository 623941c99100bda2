"""What a layer's state methods read from and write to the dict or store Keras hands them.

``get_build_config``/``build_from_config``, ``save_own_variables``/``load_own_variables`` and
``get_compile_config``/``compile_from_config`` come in pairs: one writes keys that the other
reads. Whether a lone half breaks a reload depends on those keys, so rules ask here which
literal keys a method reads (``config["k"]``, ``config.pop("k")``), which it writes
(``store["k"] = ...``), and whether it defers to ``super()``.
"""

from __future__ import annotations

import libcst as cst

from kcheck.facts.cst_walk import dotted_name, string_value, walk
from kcheck.facts.module import FunctionFacts


def _first_param(function: FunctionFacts) -> str | None:
    named = [p for p in function.params if p.kind in ("positional-only", "positional")]
    return named[0].name if named else None


def required_reads(function: FunctionFacts) -> dict[str, cst.CSTNode]:
    """Literal keys read from the first parameter without a default: ``config["k"]`` and
    ``config.pop("k")`` (a ``.get`` or a ``.pop`` with a default tolerates a missing key)."""
    name = _first_param(function)
    found: dict[str, cst.CSTNode] = {}
    if name is None:
        return found
    stored = _subscript_targets(function)
    for node in walk(function.node.body):
        if isinstance(node, cst.Subscript) and dotted_name(node.value) == name \
                and id(node) not in stored:
            key = _subscript_key(node)
            if key is not None:
                found.setdefault(key, node)
        elif (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
              and dotted_name(node.func.value) == name and node.func.attr.value == "pop"
              and len(node.args) == 1):
            key = string_value(node.args[0].value)
            if key is not None:
                found.setdefault(key, node)
    return found


def literal_writes(function: FunctionFacts) -> dict[str, cst.CSTNode]:
    """Literal keys assigned into the first parameter: ``store["k"] = value``."""
    name = _first_param(function)
    found: dict[str, cst.CSTNode] = {}
    if name is None:
        return found
    for node in walk(function.node.body):
        if isinstance(node, cst.Assign):
            for target in node.targets:
                subscript = target.target
                if isinstance(subscript, cst.Subscript) and dotted_name(subscript.value) == name:
                    key = _subscript_key(subscript)
                    if key is not None:
                        found.setdefault(key, node)
    return found


def calls_super(function: FunctionFacts, method: str | None = None) -> bool:
    """The body calls ``super().<method>(...)`` (any method when *method* is None)."""
    for call in function.calls:
        func = call.func
        if (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Call)
                and dotted_name(func.value.func) == "super"
                and (method is None or func.attr.value == method)):
            return True
    return False


def mentions_string(function: FunctionFacts, values: frozenset[str]) -> bool:
    """Some string literal in the body is one of *values*."""
    for node in walk(function.node.body):
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)) and \
                string_value(node) in values:
            return True
    return False


def does_something(function: FunctionFacts) -> bool:
    """The body is more than a docstring, ``pass``, ``...`` and a call to super()."""
    body = function.node.body
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    for statement in statements:
        smalls = statement.body if isinstance(statement, cst.SimpleStatementLine) else None
        if smalls is None:
            return True
        for small in smalls:
            if isinstance(small, cst.Pass):
                continue
            if isinstance(small, cst.Expr):
                value = small.value
                if isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.Ellipsis)):
                    continue
                if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and \
                        isinstance(value.func.value, cst.Call) and \
                        dotted_name(value.func.value.func) == "super":
                    continue
            if isinstance(small, cst.Return) and isinstance(small.value, cst.Call) and \
                    isinstance(small.value.func, cst.Attribute) and \
                    isinstance(small.value.func.value, cst.Call) and \
                    dotted_name(small.value.func.value.func) == "super":
                continue
            return True
    return False


def _subscript_key(node: cst.Subscript) -> str | None:
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    return string_value(node.slice[0].slice.value)


def _subscript_targets(function: FunctionFacts) -> set[int]:
    targets = set()
    for node in walk(function.node.body):
        if isinstance(node, cst.Assign):
            targets.update(id(t.target) for t in node.targets)
        elif isinstance(node, (cst.AugAssign, cst.AnnAssign)):
            targets.add(id(node.target))
    return targets


def written_dict_keys(function: FunctionFacts) -> dict[str, cst.CSTNode]:
    """String keys a body puts into dicts: ``{"k": ...}``, ``d["k"] = ...``, ``d.update(k=...)``
    and ``dict(k=...)`` -- an over-approximation of what a ``get_*_config`` returns."""
    found: dict[str, cst.CSTNode] = {}
    for node in walk(function.node.body):
        if isinstance(node, cst.Dict):
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    key = string_value(element.key)
                    if key is not None:
                        found.setdefault(key, element)
        elif isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Subscript):
                    key = _subscript_key(target.target)
                    if key is not None:
                        found.setdefault(key, node)
        elif isinstance(node, cst.Call) and (
                dotted_name(node.func) == "dict" or (
                    isinstance(node.func, cst.Attribute) and node.func.attr.value == "update")):
            for arg in node.args:
                if arg.keyword is not None:
                    found.setdefault(arg.keyword.value, arg)
    return found
