"""The stage a message names: every rule's example findings say when the mistake shows."""

from __future__ import annotations

import pytest

from kcheck.engine.checker import Options, check_source
from kcheck.rules import ALL_RULES
from kcheck.rules.stages import named_stages, observed_stage, precedes


def test_phrases_map_to_stages():
    assert named_stages("so model.save() raises NotImplementedError") == {"save"}
    assert named_stages("load_model in a fresh process fails with ...") == {"load"}
    assert named_stages("after load_model the layer silently uses shift=0.0") == {"silent"}
    assert named_stages("so building the layer fails with TypeError") == {"build"}
    assert named_stages("a message that says nothing about when") == set()


def test_observed_stages():
    assert observed_stage("construct") == observed_stage("call") == "build"
    assert observed_stage("compare") == "silent"
    assert observed_stage("compare", "reloaded model fails on the same input") == "load"
    assert observed_stage("") is None


def test_precedes():
    assert precedes("save", {"load"})
    assert not precedes("load", {"load"})
    assert not precedes("load", {"save"})
    assert not precedes("save", set())


def _example_findings():
    for rule in ALL_RULES:
        for index, source in enumerate(rule.INVALID):
            yield pytest.param(rule, source, id=f"{rule.code}-{index}")


@pytest.mark.parametrize(("rule", "source"), list(_example_findings()))
def test_every_example_message_names_when_it_breaks(tmp_path, rule, source):
    from kcheck.engine.selection import Selection

    path = tmp_path / "example.py"
    path.write_text(source)
    report = check_source(path, source, Options(Selection((rule.code,))))
    messages = [v.message for v in report.violations if v.code == rule.code]
    assert messages
    for message in messages:
        assert named_stages(message), f"{rule.code}: no stage named in: {message}"
