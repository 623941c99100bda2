"""Fixes that change a method's signature or its decorators (KS104, KS202, KS403)."""

from __future__ import annotations

import libcst as cst

from kcheck.facts.cst_walk import walk
from kcheck.facts.init_chain import super_init_calls
from kcheck.facts.module import FunctionFacts
from kcheck.facts.project import ClassInfo
from kcheck.fixes.edits import SAFE, UNSAFE, Edit, Fix, fix_builder

# Keywords Layer.__init__ takes (keras/src/layers/layer.py, Keras 3.15).
LAYER_INIT_KEYWORDS = frozenset({"name", "trainable", "dtype", "activity_regularizer",
                                 "autocast"})


class _Renamer(cst.CSTTransformer):
    """Rename variables of one function: its parameters and every use, but not attributes
    (``self.x``), keyword names (``f(x=...)``) or nested scopes that bind the name again."""

    def __init__(self, mapping: dict[str, str], root: cst.FunctionDef) -> None:
        super().__init__()
        self.mapping = mapping
        self.root = root
        self.skip: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self.skip.add(id(node.attr))
        return True

    def visit_Arg(self, node: cst.Arg) -> bool:
        if node.keyword is not None:
            self.skip.add(id(node.keyword))
        return True

    def _rebinds(self, params: cst.Parameters) -> bool:
        names = [p.name.value for p in (*params.posonly_params, *params.params,
                                        *params.kwonly_params)]
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                names.append(star.name.value)
        return any(name in self.mapping for name in names)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        if node is self.root:
            self.skip.add(id(node.name))
            return True
        self.skip.add(id(node.name))
        return not self._rebinds(node.params)

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return not self._rebinds(node.params)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if id(original_node) in self.skip:
            return updated_node
        new = self.mapping.get(updated_node.value)
        return updated_node.with_changes(value=new) if new else updated_node


def rename_variables(function: cst.FunctionDef, mapping: dict[str, str]) -> cst.FunctionDef:
    """*function* with its parameters and local uses renamed by *mapping*."""
    return function.visit(_Renamer(mapping, function))


def _names_used(function: cst.FunctionDef) -> set[str]:
    return {node.value for node in walk(function) if isinstance(node, cst.Name)}


@fix_builder
def forward_kwargs(cls: ClassInfo, init: FunctionFacts) -> Fix | None:
    """KS104: add ``**kwargs`` to ``__init__`` and pass it on in ``super().__init__(...)``."""
    node = init.node
    if node.params.star_kwarg is not None:
        return None
    calls = super_init_calls(init, cls.facts.bases)
    if len(calls) != 1 or any(arg.star == "**" for arg in calls[0].args):
        return None
    call = calls[0]
    used = _names_used(node)
    name = next((n for n in ("kwargs", "base_kwargs", "layer_kwargs") if n not in used), None)
    if name is None:
        return None

    def add_param(params: cst.Parameters) -> cst.Parameters:
        return params.with_changes(star_kwarg=cst.Param(cst.Name(name), star="**"))

    def add_arg(updated: cst.Call) -> cst.Call:
        return updated.with_changes(args=[*updated.args, cst.Arg(cst.Name(name), star="**")])

    return Fix(SAFE, f"add **{name} to __init__ and pass it to super().__init__()",
               (Edit(node.params, add_param, span=node.params, at="end"),
                Edit(call, add_arg, span=call, at="end")))


@fix_builder
def keyword_super_arguments(call: cst.Call) -> Fix | None:
    """KS104: ``super().__init__(name, **kwargs)`` -> ``super().__init__(name=name, **kwargs)``,
    when each positional argument is a variable named after a Layer.__init__ keyword."""
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if not positional or not all(isinstance(a.value, cst.Name)
                                 and a.value.value in LAYER_INIT_KEYWORDS for a in positional):
        return None
    given = {a.keyword.value for a in call.args if a.keyword is not None}
    names = [a.value.value for a in positional]
    if len(set(names)) != len(names) or given & set(names):
        return None

    def rewrite(updated: cst.Call) -> cst.Call:
        args = []
        for arg in updated.args:
            if arg.keyword is None and not arg.star and isinstance(arg.value, cst.Name):
                arg = arg.with_changes(keyword=cst.Name(arg.value.value),
                                       equal=cst.AssignEqual(cst.SimpleWhitespace(""),
                                                             cst.SimpleWhitespace("")))
            args.append(arg)
        return updated.with_changes(args=args)

    shown = ", ".join(f"{n}={n}" for n in names)
    return Fix(SAFE, f"pass {shown} by keyword", (Edit(call, rewrite),))


@fix_builder
def classmethod_from_config(method: FunctionFacts) -> Fix | None:
    """KS202: make ``from_config`` a ``@classmethod`` taking ``(cls, config)``: a
    ``@staticmethod`` becomes ``@classmethod``, a plain method gets the decorator, and a first
    parameter named ``self`` is renamed ``cls`` with its uses."""
    node = method.node
    positional = [*node.params.posonly_params, *node.params.params]
    if not positional:
        return None
    first = positional[0].name.value
    used = _names_used(node)
    rename = {}
    if len(positional) == 1 and not method.is_staticmethod:
        add_cls = "cls" not in used
        if not add_cls:
            return None
    else:
        add_cls = False
        if first != "cls" and "cls" not in used:
            rename = {first: "cls"}

    def rewrite(updated: cst.FunctionDef) -> cst.FunctionDef:
        decorators = [d for d in updated.decorators
                      if not (isinstance(d.decorator, cst.Name)
                              and d.decorator.value == "staticmethod")]
        replaced = len(decorators) != len(updated.decorators)
        new = cst.Decorator(cst.Name("classmethod"))
        if replaced:
            index = next(i for i, d in enumerate(updated.decorators)
                         if isinstance(d.decorator, cst.Name)
                         and d.decorator.value == "staticmethod")
            decorators = list(updated.decorators)
            decorators[index] = decorators[index].with_changes(decorator=cst.Name("classmethod"))
        else:
            decorators = [new, *decorators]
        result = updated.with_changes(decorators=decorators)
        if rename:
            result = rename_variables(result, rename)
        if add_cls:
            params = result.params
            holder = params.posonly_params or params.params
            field = "posonly_params" if params.posonly_params else "params"
            result = result.with_changes(params=params.with_changes(
                **{field: [cst.Param(cst.Name("cls")), *holder]}))
        return result

    what = "@classmethod"
    if rename:
        what += f", first parameter {first!r} renamed 'cls'"
    if add_cls:
        what += ", with a first parameter cls"
    return Fix(SAFE, f"make from_config() a {what}", (Edit(node, rewrite, span=node.name),))


@fix_builder
def rename_build_shapes(cls: ClassInfo, build: FunctionFacts, call: FunctionFacts) -> Fix | None:
    """KS403: rename each ``build()`` parameter to ``<call argument>_shape``, position by
    position, with its uses in ``build()``. Unsafe when the module calls ``.build(...)`` with
    one of the old names as a keyword."""
    named = [p for p in build.params if p.kind not in ("var-positional", "var-keyword")]
    targets = [p.name for p in call.params if p.kind not in ("var-positional", "var-keyword")]
    if len(named) < 2 or len(named) > len(targets):
        return None
    if any(not p.name.endswith("_shape") for p in named[1:]):
        return None  # a non-shape value: KS401's mistake, no rename makes it right
    mapping = {p.name: f"{t}_shape" for p, t in zip(named, targets) if p.name != f"{t}_shape"}
    if not mapping:
        return None
    used = _names_used(build.node)
    if any(new in used for new in mapping.values()):
        return None
    keyword_calls = any(
        isinstance(site.node.func, cst.Attribute) and site.node.func.attr.value == "build"
        and any(a.keyword is not None and a.keyword.value in mapping for a in site.node.args)
        for site in cls.module.facts.calls)
    shown = ", ".join(f"{old} -> {new}" for old, new in mapping.items())
    return Fix(UNSAFE if keyword_calls else SAFE, f"rename build() parameters: {shown}",
               (Edit(build.node, lambda updated: rename_variables(updated, mapping)),))
