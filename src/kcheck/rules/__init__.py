"""The rule catalogue: every `ksNNN_*` module here defines one rule class over the facts.

`base` holds what rules share; `docs` renders the catalogue (README table, docs index and
`kcheck rule`).
"""

from __future__ import annotations

import importlib
import pkgutil

from kcheck.rules.base import Context, Finding, Rule


def _discover() -> list[type[Rule]]:
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("ks"):
            importlib.import_module(f"{__name__}.{module.name}")
    found: list[type[Rule]] = []
    pending = list(Rule.__subclasses__())
    while pending:
        rule = pending.pop()
        pending.extend(rule.__subclasses__())
        if "code" in rule.__dict__:
            found.append(rule)
    return sorted(found, key=lambda rule: rule.code)


ALL_RULES: list[type[Rule]] = _discover()
RULES_BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_CODE", "Context", "Finding", "Rule"]
