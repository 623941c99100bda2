"""Resolve the names a module binds by import to dotted, qualified names.

A table of our own instead of libcst's QualifiedNameProvider, which costs more than the parse
itself (shared/PERFORMANCE.md). Relative imports keep their level and are made absolute by
:mod:`kcheck.facts.project`, which knows the module's package.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from kcheck.facts.cst_walk import dotted_name


@dataclass(frozen=True)
class Qualified:
    """A dotted name and, for a relative import, how many packages up it starts (``from ..x``)."""

    name: str
    level: int = 0


@dataclass
class ImportTable:
    """Local name -> what it was imported as."""

    bindings: dict[str, Qualified] = field(default_factory=dict)

    def add(self, statement: cst.Import | cst.ImportFrom) -> None:
        if isinstance(statement, cst.Import):
            for alias in statement.names:
                full = dotted_name(alias.name)
                if full is None:
                    continue
                if alias.asname is not None:
                    local = dotted_name(alias.asname.name)
                    if local:
                        self.bindings[local] = Qualified(full)
                else:
                    top = full.split(".")[0]
                    self.bindings[top] = Qualified(top)
            return
        if isinstance(statement.names, cst.ImportStar):
            return
        level = len(statement.relative)
        module = dotted_name(statement.module) if statement.module is not None else ""
        for alias in statement.names:
            imported = dotted_name(alias.name)
            if imported is None:
                continue
            local = dotted_name(alias.asname.name) if alias.asname is not None else imported
            target = f"{module}.{imported}" if module else imported
            if local:
                self.bindings[local] = Qualified(target, level)

    def qualify(self, dotted: str) -> Qualified | None:
        """``L.Dense`` -> ``keras.layers.Dense`` when ``from keras import layers as L``."""
        head, _, rest = dotted.partition(".")
        bound = self.bindings.get(head)
        if bound is None:
            return None
        return Qualified(f"{bound.name}.{rest}" if rest else bound.name, bound.level)
