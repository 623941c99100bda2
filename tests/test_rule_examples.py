"""Every VALID and INVALID example of every rule is a test case (as in Fixit)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from expectations import expected_findings

from kcheck.engine import Options, check_source
from kcheck.engine.selection import Selection
from kcheck.rules import ALL_RULES

CASES = [
    pytest.param(rule, kind, index, example, id=f"{rule.code}-{kind}-{index}")
    for rule in ALL_RULES
    for kind in ("VALID", "INVALID")
    for index, example in enumerate(getattr(rule, kind))
]


def test_every_rule_has_examples():
    for rule in ALL_RULES:
        assert rule.VALID and rule.INVALID, f"{rule.code} needs VALID and INVALID examples"


def test_codes_are_unique_and_well_formed():
    codes = [rule.code for rule in ALL_RULES]
    assert len(codes) == len(set(codes))
    assert all(code[:2] == "KS" and code[2:].isdigit() and len(code) == 5 for code in codes)


@pytest.mark.parametrize(("rule", "kind", "index", "example"), CASES)
def test_example(rule, kind, index, example, tmp_path: Path):
    source = textwrap.dedent(example)
    path = tmp_path / "example.py"
    path.write_text(source)
    options = Options(selection=Selection(select=(rule.code,)))
    report = check_source(path, source, options)
    got = sorted((v.line, v.code) for v in report.violations)
    want = [] if kind == "VALID" else expected_findings(source)
    if kind == "INVALID":
        assert want, "an INVALID example must mark at least one '# expect:' line"
        assert all(code == rule.code for _, code in want)
    assert got == want, [v.message for v in report.violations]
