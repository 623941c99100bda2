"""Every VALID, INVALID and FIXES example of every rule is a test case (as in Fixit)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from expectations import expected_findings

from kcheck.engine import Options, check_source
from kcheck.engine.fixing import FixPolicy, fix_text
from kcheck.engine.selection import Selection
from kcheck.fixes.edits import validate
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


# -- fixes (as in Fixit: an INVALID example with its expected fixed source) ------------------

FIX_CASES = [
    pytest.param(rule, index, before, after, id=f"{rule.code}-FIX-{index}")
    for rule in ALL_RULES
    for index, (before, after) in enumerate(rule.FIXES)
]


def _fix(rule, source: str, tmp_path: Path):
    path = tmp_path / "example.py"
    path.write_text(source)
    options = Options(selection=Selection(select=(rule.code,)))
    return fix_text(path, source, options, FixPolicy(unsafe=True))


@pytest.mark.parametrize(("rule", "index", "before", "after"), FIX_CASES)
def test_fix_example(rule, index, before, after, tmp_path: Path):
    before, after = textwrap.dedent(before), textwrap.dedent(after)
    path = tmp_path / "example.py"
    path.write_text(before)
    report = check_source(path, before, Options(selection=Selection(select=(rule.code,))))
    assert any(v.fix for v in report.violations), "a fix example must be fixable"
    result = _fix(rule, before, tmp_path)
    assert result.fixed == after
    assert validate(result.fixed) is None
    assert not [v for v in result.report.violations if v.code == rule.code], \
        "the fixed code must not be reported again"
    again = _fix(rule, after, tmp_path)
    assert again.fixed == after and not again.applied, "fixes must be idempotent"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_a_rule_with_a_fix_has_fix_examples(rule, tmp_path: Path):
    fixable = False
    for example in rule.INVALID:
        source = textwrap.dedent(example)
        path = tmp_path / "example.py"
        path.write_text(source)
        report = check_source(path, source, Options(selection=Selection(select=(rule.code,))))
        fixable = fixable or any(v.fix for v in report.violations)
    if fixable:
        assert rule.FIXES, f"{rule.code} builds fixes but declares no FIXES example"
