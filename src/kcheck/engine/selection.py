"""Which rule codes are reported: --select / --ignore by code or prefix, like flake8 and ruff."""

from __future__ import annotations

from dataclasses import dataclass

from kcheck.engine.rule_table import RULES

_CODES = tuple(code for code, *_ in RULES) + ("KS000",)


class SelectionError(ValueError):
    """A --select or --ignore entry that matches no rule."""


def _validate(prefixes: tuple[str, ...], option: str) -> None:
    for prefix in prefixes:
        if not any(code.startswith(prefix) for code in _CODES):
            raise SelectionError(f"{option}: {prefix!r} matches no kcheck rule "
                                 "(see `kcheck rules`)")


@dataclass(frozen=True)
class Selection:
    """Rule codes switched on and off. ``select=None`` means the default set."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def validate(self) -> None:
        _validate(self.select or (), "--select")
        _validate(self.extend_select, "--extend-select")
        _validate(self.ignore, "--ignore")

    def enabled(self, code: str, default_enabled: bool) -> bool:
        """The most specific matching prefix decides, as in ruff."""
        selected_by = -1
        if self.select is None:
            if default_enabled:
                selected_by = 0
        else:
            selected_by = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        extended = max((len(p) for p in self.extend_select if code.startswith(p)), default=-1)
        selected_by = max(selected_by, extended)
        if selected_by < 0:
            return False
        ignored_by = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return ignored_by < selected_by

    def rules(self):
        from kcheck.rules import ALL_RULES  # only a check needs the rule classes

        return [rule for rule in ALL_RULES if self.enabled(rule.code, rule.default_enabled)]
