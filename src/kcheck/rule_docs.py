"""Rule documentation generated from the rule classes, so it never falls behind the code."""

from __future__ import annotations

import inspect
import textwrap

from kcheck.rules import ALL_RULES, Rule


def rules_table(markdown: bool = False) -> str:
    """One line per rule: code, name, severity, default state, summary."""
    if markdown:
        rows = ["| Code | Name | Severity | Default | What it finds |",
                "| --- | --- | --- | --- | --- |"]
        for rule in ALL_RULES:
            rows.append(f"| [{rule.code}](docs/rules/{rule.code}.md) | {rule.name} | "
                        f"{rule.severity} | {'on' if rule.default_enabled else 'off'} | "
                        f"{rule.summary} |")
        return "\n".join(rows) + "\n"
    width = max(len(rule.name) for rule in ALL_RULES)
    return "".join(
        f"{rule.code}  {rule.name:<{width}}  {rule.severity:<7}  "
        f"{'on ' if rule.default_enabled else 'off'}  {rule.summary}\n" for rule in ALL_RULES)


def render_rule_doc(rule: type[Rule]) -> str:
    """The rule's docstring and its examples, for ``kcheck rule CODE``."""
    doc = inspect.cleandoc(rule.__doc__ or "")
    parts = [f"{rule.code} {rule.name} ({rule.severity}, "
             f"{'on' if rule.default_enabled else 'off'} by default)", "", doc, ""]
    if rule.INVALID:
        parts += ["Example of code it reports:", textwrap.indent(rule.INVALID[0].strip(), "    "),
                  ""]
    if rule.VALID:
        parts += ["Code it accepts:", textwrap.indent(rule.VALID[0].strip(), "    "), ""]
    parts.append(f"Full page: docs/rules/{rule.code}.md")
    return "\n".join(parts) + "\n"
