"""Every rule ships with its page, in the sections of the house style."""

from __future__ import annotations

from pathlib import Path

import pytest

from kcheck.rules import ALL_RULES

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"
SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead",
            "## Fix safety", "## Runtime verification")


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_rule_page_has_every_section(rule):
    page = DOCS / f"{rule.code}.md"
    assert page.is_file(), f"{rule.code} has no docs/rules/{rule.code}.md"
    text = page.read_text()
    assert text.startswith(f"# {rule.code} {rule.name}")
    missing = [section for section in SECTIONS if section not in text]
    assert not missing, f"{page.name} lacks {missing}"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_fix_safety_says_what_the_fix_does(rule):
    text = (DOCS / f"{rule.code}.md").read_text()
    section = text.split("## Fix safety", 1)[1].split("\n## ", 1)[0]
    if rule.FIXES:
        assert "safe fix" in section.lower() or "**safe**" in section.lower(), \
            f"{rule.code} has a fix: its page must say whether it is safe or unsafe"
    else:
        assert "No automatic fix" in section, \
            f"{rule.code} has no fix: its page must say so under Fix safety"
