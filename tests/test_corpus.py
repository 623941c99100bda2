"""The corpus's '# expect:' markers agree with kcheck and with a real flake8 process."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from expectations import EXPECT, expected_findings, runtime_outcome

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
FILES = sorted(CORPUS.rglob("*.py"))
OUTCOMES = {"save-fails", "load-fails", "silent-diff", "ok", "static-only"}


def _marked() -> dict[str, list[tuple[int, str]]]:
    return {str(path): expected_findings(path.read_text()) for path in FILES}


@pytest.fixture(scope="module")
def kcheck_findings() -> dict[str, list[tuple[int, str]]]:
    result = subprocess.run(
        [sys.executable, "-m", "kcheck", "--select", "KS", "--format", "json", str(CORPUS)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    found = defaultdict(list)
    for item in json.loads(result.stdout):
        found[str(Path(item["path"]).resolve())].append((item["line"], item["code"],
                                                         item["message"]))
    return found


@pytest.fixture(scope="module")
def flake8_findings() -> dict[str, list[tuple[int, str]]]:
    result = subprocess.run(
        [sys.executable, "-m", "flake8", "--select", "KS", "--format",
         "%(path)s\t%(row)d\t%(code)s\t%(text)s", str(CORPUS)],
        capture_output=True, text=True, timeout=300)
    assert result.returncode in (0, 1), result.stderr
    found = defaultdict(list)
    for line in result.stdout.splitlines():
        path, row, code, text = line.split("\t", 3)
        found[str(Path(path).resolve())].append((int(row), code, text))
    return found


def _placed(findings: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    return sorted((line, code) for line, code, _ in findings)


def test_corpus_is_not_empty():
    assert len(FILES) >= 20
    assert sum(len(v) for v in _marked().values()) >= 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_every_file_states_its_runtime_outcome(path):
    if path.name == "__init__.py":
        return
    assert runtime_outcome(path.read_text()) in OUTCOMES, f"{path}: missing '# runtime:' line"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_kcheck_matches_markers(path, kcheck_findings):
    assert _placed(kcheck_findings.get(str(path), [])) == expected_findings(path.read_text())


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_flake8_matches_markers(path, flake8_findings):
    assert _placed(flake8_findings.get(str(path), [])) == expected_findings(path.read_text())


def test_flake8_messages_are_kchecks(kcheck_findings, flake8_findings):
    # The plugin builds no fixes (flake8 never shows them): its messages are still the same.
    python = {path: found for path, found in kcheck_findings.items() if path.endswith(".py")}
    assert sorted(flake8_findings) == sorted(python)  # flake8 reads no notebooks
    for path, findings in python.items():
        assert sorted(flake8_findings[path]) == sorted(findings), path


def test_every_rule_has_a_failing_corpus_case():
    from kcheck.rules import ALL_RULES

    marked = {code for findings in _marked().values() for _, code in findings}
    missing = [rule.code for rule in ALL_RULES if rule.code not in marked]
    assert not missing, f"rules without a corpus case: {missing}"


def test_markers_are_well_formed():
    for path in FILES:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if re.search(r"#\s*expect\b", line):
                assert EXPECT.search(line), f"{path}:{number}: malformed expect marker"
