"""Every corpus file's '# runtime:' outcome agrees with what the verifier observes, and every
confirmed finding's message names the stage the verifier saw it at.

Each Keras class the file is about (all of its Keras classes, or those named on a
'# verify:' line) is built, saved to .keras, reloaded in a fresh process and compared; so is
every class or call kcheck reports in a file that can run here (not '# runtime: static-only').
"""

from __future__ import annotations

from pathlib import Path

import pytest
from expectations import runtime_outcome, verify_classes

pytest.importorskip("keras")

from kcheck.engine import Options, check_paths  # noqa: E402
from kcheck.engine.selection import Selection  # noqa: E402
from kcheck.engine.verification import _interpret, build_targets  # noqa: E402
from kcheck.engine.violation import Violation  # noqa: E402
from kcheck.facts.project import Project  # noqa: E402
from kcheck.rules.stages import named_stages, observed_stage  # noqa: E402
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


def _findings() -> list[Violation]:
    """kcheck's findings in the corpus files that can run here."""
    files = [path for path in sorted(CORPUS.rglob("*.py"))
             if runtime_outcome(path.read_text()) not in (None, "static-only")]
    reports = check_paths(files, Options(Selection(("KS",))), jobs=1)
    return [v for report in reports for v in report.violations if not v.is_file_error]


CASES = _cases()
FINDINGS = _findings()


@pytest.fixture(scope="module")
def verdicts():
    probes = [Violation(str(path), 1, 1, "KS000-probe", "", name) for path, name, _ in CASES]
    keys, targets, unverifiable = build_targets(probes + FINDINGS)
    assert not unverifiable or all(index >= len(probes) for index in unverifiable), unverifiable
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


def _finding_id(violation: Violation) -> str:
    return f"{Path(violation.path).relative_to(CORPUS)}:{violation.line}:{violation.code}"


def _other_codes(violation: Violation) -> list[str]:
    """The codes of the class's other findings, as the engine hands them to _interpret."""
    return [other.code for other in FINDINGS if other.code != violation.code and
            (other.path, other.class_name, other.subject) ==
            (violation.path, violation.class_name, violation.subject)]


def test_corpus_has_confirmable_findings():
    assert len(FINDINGS) >= 30


@pytest.mark.parametrize("violation", FINDINGS, ids=[_finding_id(v) for v in FINDINGS])
def test_confirmed_message_names_the_observed_stage(verdicts, violation):
    """A confirmed finding's message says what breaks at the stage Keras really broke:
    building, model.save(), load_model, or nothing (a silent difference)."""
    verdict = verdicts.get((violation.path, violation.class_name or violation.subject or ""))
    if verdict is None:
        pytest.skip("not verifiable: " + violation.code)
    # Alone on its class, the finding's own mistake is what the round trip showed: then the
    # stage must match even where a too-early failure would otherwise only make it inconclusive.
    alone = sum(1 for other in FINDINGS if (other.path, other.class_name, other.subject) ==
                (violation.path, violation.class_name, violation.subject)) == 1
    evidence = _interpret(violation.code, verdict, _other_codes(violation),
                          "" if alone else violation.message)
    if evidence["status"] != "confirmed":
        return
    observed = observed_stage(verdict.stage, verdict.detail)
    named = named_stages(violation.message)
    assert named == {observed}, (
        f"{violation.code} message names {sorted(named) or 'no stage'}, the verifier saw "
        f"{observed} ({verdict.stage}: {verdict.detail[:200]}): {violation.message}")


def test_the_stage_check_is_not_vacuous(verdicts):
    """Most corpus findings are confirmed, so the stage check above really compares stages."""
    confirmed = 0
    for violation in FINDINGS:
        verdict = verdicts.get((violation.path, violation.class_name or violation.subject or ""))
        if verdict is not None and _interpret(violation.code, verdict, _other_codes(violation),
                                              violation.message)["status"] == "confirmed":
            confirmed += 1
    assert confirmed >= len(FINDINGS) // 2, (confirmed, len(FINDINGS))
