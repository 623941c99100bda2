"""Fixes that write or extend ``get_config`` and ``from_config`` (KS101, KS102, KS103, KS105,
KS201).

Every value a fix puts in a config is read from the ``self.`` attribute ``__init__`` stored the
argument in; when no attribute holds an argument unchanged, there is no fix: kcheck does not
invent state the class does not keep.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from kcheck.facts.cst_walk import dotted_name, walk
from kcheck.facts.effective_config import held_in_attribute
from kcheck.facts.module import FunctionFacts, Param
from kcheck.facts.project import ClassInfo
from kcheck.fixes.edits import SAFE, UNSAFE, Edit, Fix, fix_builder
from kcheck.fixes.methods import (
    add_dict_entry,
    append_to_class,
    insert_at_start,
    insert_before,
    method_source,
    parse_statements,
)
from kcheck.fixes.signatures import forward_kwargs
from kcheck.fixes.spelling import keras_function, keras_package, preferred_quote, string_literal


def _needs(*spelled) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.needs for s in spelled if s.needs))


def _entries_block(entries: Sequence[str]) -> list[str]:
    """A dict display over several lines, or one line for a single entry."""
    if len(entries) == 1:
        return ["{" + entries[0] + "}"]
    return ["{", *(f"    {entry}," for entry in entries), "}"]


@fix_builder
def missing_get_config(cls: ClassInfo, init: FunctionFacts, params: Sequence[Param],
                       nested: set[str], merge_super: bool) -> Fix | None:
    """KS101: a ``get_config`` returning every argument in *params* from the attribute that
    holds it (*nested* ones through ``serialize_keras_object``), merged into
    ``super().get_config()`` when *merge_super*; plus a ``from_config`` that deserializes the
    nested ones and passes positional-only and ``*args`` parameters back by position."""
    tree = cls.module.tree
    quote = preferred_quote(cls.module)
    serialize = keras_function(cls.module, "serialize_keras_object")
    deserialize = keras_function(cls.module, "deserialize_keras_object")
    entries, restores, positional = [], [], []
    uses_serialize = False
    for param in params:
        attr = held_in_attribute(init.self_assignments, param.name)
        if attr is None:
            return None  # the argument is not kept anywhere kcheck can see
        key = string_literal(param.name, quote)
        value = f"self.{attr}"
        many = param.kind == "var-positional"
        if param.name in nested:
            uses_serialize = True
            value = (f"[{serialize.text}(item) for item in {value}]" if many
                     else f"{serialize.text}({value})")
            restored = (f"[{deserialize.text}(item) for item in config[{key}]]" if many
                        else f"{deserialize.text}(config[{key}])")
            restores.append(f"config[{key}] = {restored}")
        elif many:
            value = f"list({value})"
        entries.append(f"{key}: {value}")
        if param.kind == "positional-only":
            positional.append(f"config.pop({key})")
        elif many:
            positional.append(f"*config.pop({key})")
    if not entries:
        return None
    forwarding: tuple = ()
    if merge_super and init.node.params.star_kwarg is None:
        # The merged base config carries 'name', 'trainable' and 'dtype' back into __init__ at
        # load (KS104's mistake, measured): the fix must let __init__ take them.
        kwargs = forward_kwargs(cls, init)
        if kwargs is None:
            return None
        forwarding = kwargs.edits
    block = _entries_block(entries)
    if merge_super:
        body = ["config = super().get_config()", f"config.update({block[0]}", *block[1:]]
        body[-1] += ")"
        body.append("return config")
    else:
        body = [f"return {block[0]}", *block[1:]]
    sources = [method_source(tree, ["def get_config(self):"], body)]
    has_from_config = cls.find_method("from_config") is not None
    if (restores or positional) and not has_from_config:
        call = ", ".join([*positional, "**config"])
        sources.append(method_source(tree, ["@classmethod", "def from_config(cls, config):"],
                                     [*restores, f"return cls({call})"]))
    elif restores:
        return None  # a from_config of the class's own decides what reaches __init__
    edit = append_to_class(cls.facts.node, parse_statements(tree, "".join(sources)))
    if edit is None:
        return None
    needs = _needs(serialize, deserialize) if uses_serialize else ()
    what = "get_config() and from_config()" if len(sources) == 2 else "get_config()"
    names = ", ".join(repr(p.name) for p in params)
    also = "; add **kwargs to __init__ and pass it to super().__init__()" if forwarding else ""
    return Fix(UNSAFE, f"define {what} returning {names}{also}", (edit, *forwarding), needs)


def _returns(function: cst.FunctionDef) -> list[cst.Return]:
    found = []
    for node in walk(function.body):
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            continue
        if isinstance(node, cst.Return) and node.value is not None:
            found.append(node)
    return found


def _statement_of(block: cst.IndentedBlock, small: cst.BaseSmallStatement):
    for statement in block.body:
        if isinstance(statement, cst.SimpleStatementLine) and small in statement.body:
            return statement
    return None


@fix_builder
def omitted_key(cls: ClassInfo, init: FunctionFacts, param: Param,
                owns_get_config: bool) -> Fix | None:
    """KS102: add ``"name": self.<attr>`` where the class's get_config builds its dict, or
    override an inherited get_config to add it. Safe when the attribute has the argument's own
    name; a differently named attribute is a guess, hence unsafe."""
    attr = held_in_attribute(init.self_assignments, param.name)
    if attr is None:
        return None
    tree = cls.module.tree
    quote = preferred_quote(cls.module)
    key = string_literal(param.name, quote)
    entry = f"{key}: self.{attr}"
    applicability = SAFE if attr == param.name else UNSAFE
    message = f"add {entry} to get_config()"
    if not owns_get_config:
        source = method_source(tree, ["def get_config(self):"], [
            "config = super().get_config()", f"config[{key}] = self.{attr}", "return config"])
        edit = append_to_class(cls.facts.node, parse_statements(tree, source))
        if edit is None:
            return None
        return Fix(applicability, f"override get_config() to add {entry}", (edit,))
    function = cls.facts.method("get_config").node
    returns = _returns(function)
    if len(returns) != 1:
        return None
    value = returns[0].value
    if isinstance(value, cst.Dict):
        return Fix(applicability, message, (add_dict_entry(value, entry),))
    if not isinstance(value, cst.Name) or not isinstance(function.body, cst.IndentedBlock):
        return None
    # config.update({...}) with a dict display: extend that dict
    for node in walk(function.body):
        if (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
                and node.func.attr.value == "update" and dotted_name(node.func.value)
                == value.value and len(node.args) == 1 and isinstance(node.args[0].value,
                                                                      cst.Dict)):
            return Fix(applicability, message, (add_dict_entry(node.args[0].value, entry),))
    anchor = _statement_of(function.body, returns[0])
    if anchor is None:
        return None
    statement = parse_statements(tree, f"{value.value}[{key}] = self.{attr}\n")
    return Fix(applicability, message, (insert_before(function.body, anchor, statement),))


def _super_config() -> cst.BaseExpression:
    return cst.parse_expression("super().get_config()")


def _prepend_super(node: cst.Dict) -> cst.Dict:
    lbrace = node.lbrace
    separator = cst.Comma(whitespace_after=lbrace.whitespace_after
                          if isinstance(lbrace.whitespace_after, cst.ParenthesizedWhitespace)
                          else cst.SimpleWhitespace(" "))
    first = cst.StarredDictElement(_super_config(), comma=separator if node.elements
                                   else cst.MaybeSentinel.DEFAULT)
    return node.with_changes(elements=[first, *node.elements])


def _wrap_in_super(node: cst.BaseExpression) -> cst.BaseExpression:
    separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return cst.Dict([cst.StarredDictElement(_super_config(), comma=separator),
                     cst.StarredDictElement(node)])


@fix_builder
def merge_base_config(cls: ClassInfo) -> Fix | None:
    """KS103: start every returned dict from ``super().get_config()``: ``{**super().get_config(),
    ...}`` for a dict display, ``{**super().get_config(), **value}`` for anything else."""
    method = cls.facts.method("get_config")
    if method is None:
        return None
    edits = []
    for ret in _returns(method.node):
        value = ret.value
        if isinstance(value, cst.Dict):
            edits.append(Edit(value, _prepend_super, span=value, at="start"))
        else:
            edits.append(Edit(value, _wrap_in_super, span=value))
    if not edits:
        return None
    return Fix(SAFE, "merge super().get_config() into the returned dict", tuple(edits))


@fix_builder
def list_value(cls: ClassInfo, value: cst.BaseExpression, what: str) -> Fix | None:
    """KS105: return a set or an array as a list (``sorted(self.keep)``, ``self.table.tolist()``)
    when ``__init__`` already rebuilds the attribute from the argument (``self.keep =
    set(keep)``). Unsafe: the config now holds a list, which the class must accept back."""
    if not (isinstance(value, cst.Attribute) and isinstance(value.value, cst.Name)
            and value.value.value == "self"):
        return None
    attr = value.attr.value
    init = cls.facts.method("__init__")
    if init is None or attr not in init.self_assignments:
        return None
    assigned = init.self_assignments[attr]
    params = {p.name for p in init.params}
    if not (isinstance(assigned, cst.Call) and any(
            isinstance(n, cst.Name) and n.value in params for a in assigned.args
            for n in walk(a.value))):
        return None  # nothing in __init__ turns a list back into the object
    if what == "a set":
        new = f"sorted(self.{attr})"
    elif what == "a numpy array":
        new = f"self.{attr}.tolist()"
    elif what == "a tensor":
        package = keras_package(cls.module)
        if package.needs is not None:
            return None
        new = f"{package.text}.ops.convert_to_numpy(self.{attr}).tolist()"
    else:
        return None
    replacement = cst.parse_expression(new)
    return Fix(UNSAFE, f"return {new} (__init__ rebuilds it)",
               (Edit(value, lambda _node: replacement),))


@fix_builder
def deserializing_from_config(cls: ClassInfo, keys: dict[str, bool]) -> Fix | None:
    """KS201: a ``from_config`` that deserializes each nested key (*keys* maps a key to whether
    it holds a list) before ``cls(**config)``; inserted at the top of the class's own
    classmethod ``from_config`` when it has one."""
    tree = cls.module.tree
    quote = preferred_quote(cls.module)
    deserialize = keras_function(cls.module, "deserialize_keras_object")
    found = cls.find_method("from_config")
    config_name = "config"
    if found is not None:
        owner, method = found
        if owner is not cls or not method.is_classmethod or len(method.params) != 1:
            return None
        config_name = method.params[0].name
    lines = []
    for key, many in keys.items():
        literal = string_literal(key, quote)
        item = f"{config_name}[{literal}]"
        restored = (f"[{deserialize.text}(item) for item in {item}]" if many
                    else f"{deserialize.text}({item})")
        lines.append(f"{item} = {restored}")
    names = ", ".join(repr(k) for k in keys)
    if found is not None:
        edit = insert_at_start(found[1].node, parse_statements(tree, "\n".join(lines) + "\n"))
        message = f"deserialize {names} at the top of from_config()"
    else:
        source = method_source(tree, ["@classmethod", "def from_config(cls, config):"],
                               [*lines, "return cls(**config)"])
        edit = append_to_class(cls.facts.node, parse_statements(tree, source))
        message = f"add a from_config() that deserializes {names}"
    if edit is None:
        return None
    return Fix(SAFE, message, (edit,), _needs(deserialize), key=("KS201", cls.name))
