"""``--fix --unsafe-fixes`` over a copy of the whole corpus, and what the verifier says after.

The static half checks that every file still parses, that no fixable finding is left, and that
a second run changes nothing. The runtime half takes every class whose `# runtime:` marker says
saving or loading failed (or changed something) and whose findings were all fixed, and checks
that the fixed class now round-trips: the marker's outcome has become `ok`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import libcst as cst
import pytest
from expectations import runtime_outcome, verify_classes

from kcheck.cli import main
from kcheck.engine import Options, check_source
from kcheck.engine.fixing import FixPolicy, fix_text
from kcheck.facts.project import Project

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _findings(root: Path) -> dict[Path, list]:
    found = {}
    for path in sorted(root.rglob("*.py")):
        report = check_source(path, path.read_text(), Options())
        found[path.relative_to(root)] = report.violations
    return found


@pytest.fixture(scope="module")
def fixed_corpus(tmp_path_factory) -> tuple[Path, dict, dict]:
    root = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(CORPUS, root)
    before = _findings(root)
    assert main(["--fix", "--unsafe-fixes", "--no-cache", "--exit-zero", str(root)]) == 0
    return root, before, _findings(root)


def test_every_fixed_file_still_parses(fixed_corpus):
    root, _, _ = fixed_corpus
    for path in root.rglob("*.py"):
        text = path.read_text()
        cst.parse_module(text)
        compile(text, str(path), "exec")


def test_fixed_codes_are_gone(fixed_corpus):
    root, before, after = fixed_corpus
    fixable = [(path, v.code, v.class_name) for path, found in before.items() for v in found
               if v.fix is not None]
    assert len(fixable) >= 40
    left = [(path, v.code, v.message) for path, found in after.items() for v in found
            if v.fix is not None]
    assert not left, left
    for path, code, class_name in fixable:
        again = [v for v in after[path] if v.code == code and v.class_name == class_name
                 and v.message in {b.message for b in before[path] if b.fix is not None}]
        assert not again, (path, again)


def test_a_second_run_changes_nothing(fixed_corpus):
    root, _, _ = fixed_corpus
    for path in sorted(root.rglob("*.py")):
        text = path.read_text()
        result = fix_text(path, text, Options(), FixPolicy(unsafe=True))
        assert result.fixed == text and not result.applied, path


def _failing_cases(root: Path, before: dict, after: dict) -> list[tuple[Path, str]]:
    """Classes the corpus says fail to round-trip, whose findings all had a fix applied."""
    cases = []
    project = Project()
    for path in sorted(root.rglob("*.py")):
        text = path.read_text()
        outcome = runtime_outcome((CORPUS / path.relative_to(root)).read_text())
        if outcome in (None, "ok", "static-only"):
            continue
        relative = path.relative_to(root)
        names = verify_classes(text)
        if names is None:
            info = project.load(path)
            names = [cls.name for cls in project.keras_classes(info)] if info else []
        for name in names:
            had = [v for v in before[relative] if v.class_name == name]
            still = [v for v in after[relative] if v.class_name == name]
            if had and all(v.fix is not None for v in had) and not still:
                cases.append((path, name))
    return cases


def test_fixed_classes_now_round_trip(fixed_corpus):
    pytest.importorskip("keras")
    from kcheck.engine.verification import build_targets
    from kcheck.engine.violation import Violation
    from kcheck.verify import verify_targets

    root, before, after = fixed_corpus
    cases = _failing_cases(root, before, after)
    assert len(cases) >= 35, cases
    probes = [Violation(str(path), 1, 1, "KS000-probe", "", name) for path, name in cases]
    keys, targets, unverifiable = build_targets(probes)
    assert not unverifiable, unverifiable
    verdicts = dict(zip(keys, verify_targets(targets, timeout=120)))
    failing = {key: verdict for key, verdict in verdicts.items()
               if verdict.status != "not-reproduced"}
    assert not failing, failing
