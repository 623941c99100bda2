"""Every corpus file's '# runtime:' outcome agrees with what the verifier observes.

Each Keras class the file is about (all of its Keras classes, or those named on a
'# verify:' line) is built, saved to .keras, reloaded in a fresh process and compared.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from expectations import runtime_outcome, verify_classes

pytest.importorskip("keras")

from kcheck.engine.verification import build_targets  # noqa: E402
from kcheck.engine.violation import Violation  # noqa: E402
from kcheck.facts.project import Project  # noqa: E402
from kcheck.verify import verify_targets  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
STAGE_OF = {"save-fails": {"construct", "call", "save"}, "load-fails": {"load"},
            "silent-diff": {"compare"}}


def _cases() -> list[tuple[Path, str, str]]:
    cases = []
    project = Project()
    for path in sorted(CORPUS.rglob("*.py")):
        text = path.read_text()
        outcome = runtime_outcome(text)
        if outcome in (None, "static-only"):
            continue
        names = verify_classes(text)
        if names is None:
            info = project.load(path)
            names = [cls.name for cls in project.keras_classes(info)] if info else []
        cases.extend((path, name, outcome) for name in names)
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def verdicts():
    probes = [Violation(str(path), 1, 1, "KS000-probe", "", name) for path, name, _ in CASES]
    keys, targets, unverifiable = build_targets(probes)
    assert not unverifiable, unverifiable
    results = verify_targets(targets, timeout=120)
    return dict(zip(keys, results))


def test_corpus_has_runtime_cases():
    assert len(CASES) >= 15


@pytest.mark.parametrize(("path", "name", "outcome"), CASES,
                         ids=[f"{p.relative_to(CORPUS)}:{n}" for p, n, _ in CASES])
def test_runtime_marker_matches_verifier(verdicts, path, name, outcome):
    verdict = verdicts[(str(path), name)]
    if outcome == "ok":
        assert verdict.status == "not-reproduced", verdict
    else:
        assert verdict.status == "confirmed", verdict
        # A reloaded model that fails on its first call is unusable: a load failure too.
        reload_unusable = verdict.stage == "compare" and "fails on the same input" in verdict.detail
        assert verdict.stage in STAGE_OF[outcome] or (
            outcome == "load-fails" and reload_unusable), verdict
