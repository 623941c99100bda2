"""KS301/KS302: register a class or a function with Keras by decorating it."""

from __future__ import annotations

import libcst as cst

from kcheck.facts.project import ModuleInfo
from kcheck.fixes.edits import SAFE, Edit, Fix, fix_builder
from kcheck.fixes.spelling import (
    keras_function,
    preferred_quote,
    registration_package,
    string_literal,
)


@fix_builder
def register(module: ModuleInfo, node: cst.ClassDef | cst.FunctionDef,
             package: str | None) -> Fix:
    """Put ``@<keras>.saving.register_keras_serializable(package="...")`` above *node*, in the
    module's own spelling, as the outermost decorator (it must see the final object)."""
    decorator_name = keras_function(module, "register_keras_serializable")
    name = registration_package(module, package)
    literal = string_literal(name, preferred_quote(module))
    text = f"{decorator_name.text}(package={literal})"
    decorator = cst.Decorator(cst.parse_expression(text))

    def rewrite(updated):
        return updated.with_changes(decorators=[decorator, *updated.decorators])

    what = "class" if isinstance(node, cst.ClassDef) else "function"
    needs = (decorator_name.needs,) if decorator_name.needs else ()
    return Fix(SAFE, f"register the {what} with @{text}", (Edit(node, rewrite, span=node,
                                                                at="start"),),
               needs, key=("register", node.name.value))
