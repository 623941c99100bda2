"""Read which keys a ``get_config`` body returns, when they can be seen.

Understands dict literals, ``config.update({...})`` and ``config.update(k=...)``,
``config["k"] = ...``, ``{**base, ...}``, ``dict(k=..., **base)``, ``a | b``, the Keras 2 idiom
``dict(list(base.items()) + list(config.items()))`` and ``super().get_config()`` in any of its
spellings. Anything else that flows into the result makes the key set incomplete, never wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from kcheck.facts.cst_walk import dotted_name, string_value, walk_skipping_scopes


@dataclass
class DictValue:
    """What is known of a dict built in get_config."""

    keys: dict[str, cst.BaseExpression] = field(default_factory=dict)
    key_nodes: dict[str, cst.CSTNode] = field(default_factory=dict)
    merges_super: bool = False
    complete: bool = True

    def merge(self, other: DictValue) -> None:
        self.keys.update(other.keys)
        self.key_nodes.update(other.key_nodes)
        self.merges_super = self.merges_super or other.merges_super
        self.complete = self.complete and other.complete

    def copy(self) -> DictValue:
        return DictValue(dict(self.keys), dict(self.key_nodes), self.merges_super, self.complete)


@dataclass
class ConfigFacts:
    """The result of a get_config body, merged over all its return statements."""

    value: DictValue
    returns_value: bool
    falls_off_end: bool


def _is_super_get_config(call: cst.Call, base_names: frozenset[str]) -> bool:
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value != "get_config":
        return False
    target = func.value
    if isinstance(target, cst.Call) and dotted_name(target.func) == "super":
        return True
    # Base.get_config(self) names the parent class directly.
    return dotted_name(target) in base_names and len(call.args) == 1


def _evaluate(node: cst.BaseExpression, variables: dict[str, DictValue],
              base_names: frozenset[str]) -> DictValue:
    if isinstance(node, cst.Dict):
        result = DictValue()
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                result.merge(_evaluate(element.value, variables, base_names))
                continue
            key = string_value(element.key)
            if key is None:
                result.complete = False
            else:
                result.keys[key] = element.value
                result.key_nodes[key] = element
        return result
    if isinstance(node, cst.Name) and node.value in variables:
        return variables[node.value].copy()
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitOr, cst.Add)):
        result = _evaluate(node.left, variables, base_names)
        result.merge(_evaluate(node.right, variables, base_names))
        return result
    if isinstance(node, cst.Call):
        if _is_super_get_config(node, base_names):
            return DictValue(merges_super=True)
        name = dotted_name(node.func)
        if name in ("dict", "list"):
            result = DictValue()
            for arg in node.args:
                if arg.keyword is not None:
                    result.keys[arg.keyword.value] = arg.value
                    result.key_nodes[arg.keyword.value] = arg
                else:
                    result.merge(_evaluate(arg.value, variables, base_names))
            return result
        # base.items() inside list(...) + list(...)
        if (isinstance(node.func, cst.Attribute) and node.func.attr.value in ("items", "copy")
                and not node.args):
            return _evaluate(node.func.value, variables, base_names)
    return DictValue(complete=False)


def _apply_statement(statement: cst.BaseSmallStatement, variables: dict[str, DictValue],
                     base_names: frozenset[str]) -> None:
    if isinstance(statement, (cst.Assign, cst.AnnAssign)):
        value = statement.value
        if value is None:
            return
        targets = ([t.target for t in statement.targets] if isinstance(statement, cst.Assign)
                   else [statement.target])
        for target in targets:
            if isinstance(target, cst.Name):
                variables[target.value] = _evaluate(value, variables, base_names)
            elif (isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name)
                  and target.value.value in variables and len(target.slice) == 1):
                index = target.slice[0].slice
                key = string_value(index.value) if isinstance(index, cst.Index) else None
                state = variables[target.value.value]
                if key is None:
                    state.complete = False
                else:
                    state.keys[key] = value
                    state.key_nodes[key] = statement
        return
    if isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
        call = statement.value
        func = call.func
        if (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)
                and func.value.value in variables and func.attr.value in ("update", "setdefault")):
            state = variables[func.value.value]
            if func.attr.value == "setdefault":
                key = string_value(call.args[0].value) if call.args else None
                if key is None or len(call.args) < 2:
                    state.complete = False
                else:
                    state.keys[key] = call.args[1].value
                    state.key_nodes[key] = statement
                return
            for arg in call.args:
                if arg.keyword is not None:
                    state.keys[arg.keyword.value] = arg.value
                    state.key_nodes[arg.keyword.value] = arg
                else:
                    state.merge(_evaluate(arg.value, variables, base_names))


def read_get_config(function: cst.FunctionDef, base_names: frozenset[str]) -> ConfigFacts:
    """Evaluate the dict a ``get_config`` returns, statement by statement.

    *base_names* are the class's base expressions as written, so ``Base.get_config(self)`` is
    recognised as the parent's config.
    """
    variables: dict[str, DictValue] = {}
    result: DictValue | None = None
    returns_value = False
    body = function.body
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    for node in _flatten(statements):
        if isinstance(node, cst.Return):
            if node.value is None:
                continue
            returns_value = True
            value = _evaluate(node.value, variables, base_names)
            if result is None:
                result = value
            else:
                result.merge(value)
        else:
            _apply_statement(node, variables, base_names)
    falls_off_end = not _ends_in_return_or_raise(statements)
    return ConfigFacts(result or DictValue(complete=False), returns_value, falls_off_end)


def _flatten(statements) -> list[cst.CSTNode]:
    """Small statements in source order, entering if/else/try/with/for bodies."""
    flat: list[cst.CSTNode] = []
    for node in statements:
        for inner in walk_skipping_scopes(node):
            if isinstance(inner, cst.BaseSmallStatement):
                flat.append(inner)
    # walk_skipping_scopes is depth-first but visits siblings in order, so order holds.
    return flat


def _ends_in_return_or_raise(statements) -> bool:
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return any(isinstance(s, (cst.Return, cst.Raise)) for s in last.body)
    if isinstance(last, cst.If):
        if last.orelse is None:
            return False
        other = last.orelse
        other_body = other.body.body if isinstance(other, cst.Else) else [other]
        return (_ends_in_return_or_raise(last.body.body)
                and _ends_in_return_or_raise(other_body))
    if isinstance(last, cst.Try):
        return _ends_in_return_or_raise(last.body.body)
    if isinstance(last, (cst.With,)):
        return _ends_in_return_or_raise(last.body.body)
    return False
