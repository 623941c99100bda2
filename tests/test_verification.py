"""How a class's verdict becomes evidence for each of its findings (no Keras needed)."""

from __future__ import annotations

from kcheck.engine.verification import _interpret, summarize
from kcheck.engine.violation import Violation
from kcheck.verify import Verdict


def test_a_failure_matching_the_rule_confirms_it():
    verdict = Verdict("confirmed", "TypeError: Could not locate class 'Loose'", "synthesised",
                      "load")
    assert _interpret("KS301", verdict)["status"] == "confirmed"


def test_a_failure_from_another_mistake_does_not_confirm():
    verdict = Verdict("confirmed", "NotImplementedError: Object Loose was created by ...", "m",
                      "save")
    result = _interpret("KS301", verdict)
    assert result["status"] == "inconclusive"
    assert "failed for another reason first" in result["detail"]


def test_rules_without_evidence_take_any_confirmed_verdict():
    verdict = Verdict("confirmed", "config key 'shift': 5.0 -> 0.0", "m", "compare")
    assert _interpret("KS101", verdict)["status"] == "confirmed"


def test_a_blind_spot_turns_not_reproduced_into_inconclusive():
    result = _interpret("KS502", Verdict("not-reproduced", "", "m"))
    assert result["status"] == "inconclusive"
    assert "fresh instances" in result["detail"]
    assert _interpret("KS101", Verdict("not-reproduced", "", "m"))["status"] == "not-reproduced"


def test_a_construction_failure_that_is_the_mistake_confirms():
    detail = ("could not construct Pos: Pos() raised TypeError: Layer.__init__() takes 1 "
              "positional argument but 2 were given")
    assert _interpret("KS104", Verdict("inconclusive", detail, "m", "construct"))["status"] == \
        "confirmed"
    other = "could not construct Pos: no value could be guessed for required parameter 'table'"
    assert _interpret("KS104", Verdict("inconclusive", other, "m", "construct"))["status"] == \
        "inconclusive"


def test_summary_counts_each_status():
    violations = [Violation("a.py", 1, 1, "KS101", "m", verification={"status": s})
                  for s in ("confirmed", "confirmed", "inconclusive", "not-reproduced")]
    assert summarize(violations) == ("Verification: 2 confirmed, 1 not reproduced, "
                                     "1 inconclusive.")


def test_a_missing_required_argument_at_construction_does_not_confirm_ks104():
    # The verifier's own failure to guess a value is not KS104's positional super().__init__.
    detail = ("could not construct EmbedND: no value could be guessed for required parameter "
              "'theta' (last attempt EmbedND(axes_dim=3) raised TypeError: EmbedND.__init__() "
              "missing 1 required positional argument: 'theta')")
    assert _interpret("KS104", Verdict("inconclusive", detail, "m", "construct"))["status"] == \
        "inconclusive"


def test_a_failure_before_the_stage_the_message_names_does_not_confirm():
    saving = Verdict("confirmed", "NotImplementedError: ... does not implement get_config()",
                     "m", "save")
    message = ("L1Rate.get_config() emits 'strength', which no __init__ parameter takes: "
               "load_model fails because L1Rate(**config) rejects the unexpected keyword")
    result = _interpret("KS102", saving, message)
    assert result["status"] == "inconclusive"
    assert "failed for another reason first" in result["detail"]
    loading = Verdict("confirmed", "TypeError: got an unexpected keyword argument 'strength'",
                      "m", "load")
    assert _interpret("KS102", loading, message)["status"] == "confirmed"
    # A later stage than the one named still confirms: the mistake happened and broke more.
    silent = "after load_model the layer silently uses shift=0.0"
    assert _interpret("KS102", loading, silent)["status"] == "inconclusive"
    assert _interpret("KS102", saving, "so model.save() raises NotImplementedError")[
        "status"] == "confirmed"


def test_an_omitted_argument_left_at_its_default_is_not_evidence_against():
    message = "ImageConverter.get_config() omits 'data_format': after load_model ..."
    untouched = Verdict("not-reproduced", "", "synthesised: ImageConverter(antialias=True, "
                        "name='kcheck_probe'); input float32(2, 4)")
    result = _interpret("KS102", untouched, message)
    assert result["status"] == "inconclusive"
    assert "'data_format' at its default" in result["detail"]
    set_ = Verdict("not-reproduced", "", "synthesised: ImageConverter(data_format='x'); input")
    assert _interpret("KS102", set_, message)["status"] == "not-reproduced"


def test_a_call_finding_is_not_judged_on_a_synthesised_stand_in():
    method = ("synthesised: keras.layers.Lambda(function=keras.layers.Dense(3)); fell back after "
              "Lambda(lambda x: x, name=name) raised NameError: name 'name' is not defined")
    stand_in = Verdict("not-reproduced", "config, attributes and results preserved", method)
    result = _interpret("KS602", stand_in, "Lambda() receives a lambda", about_call=True)
    assert result["status"] == "inconclusive"
    assert "could not be evaluated on its own" in result["detail"]
    the_call = Verdict("confirmed", "ValueError: Requested the deserialization of a `Lambda` "
                       "layer whose `function` is a Python lambda", "the call at x.py:3: "
                       "keras.layers.Lambda(lambda x: x)", "load")
    assert _interpret("KS602", the_call, "so loading fails", about_call=True)["status"] == \
        "confirmed"
