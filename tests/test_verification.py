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


def test_a_failure_another_finding_predicts_blocks_this_one():
    verdict = Verdict("confirmed", "TypeError: Could not locate class 'Loose'", "m", "load")
    result = _interpret("KS102", verdict, ["KS301"])
    assert result["status"] == "inconclusive"
    assert result["detail"].startswith("blocked by KS301: the round trip failed first with "
                                       "TypeError: Could not locate class 'Loose'")
    # the finding whose rule predicts it is confirmed, whatever else the class has
    assert _interpret("KS301", verdict, ["KS102"])["status"] == "confirmed"
    # without the other finding, a rule with no evidence list takes the failure as before
    assert _interpret("KS102", verdict, [])["status"] == "confirmed"


def test_a_construction_failure_of_another_finding_blocks_too():
    detail = ("could not construct Pos: Pos() raised TypeError: Layer.__init__() takes 1 "
              "positional argument but 2 were given")
    result = _interpret("KS102", Verdict("inconclusive", detail, "m", "construct"), ["KS104"])
    assert (result["status"], result["detail"][:16]) == ("inconclusive", "blocked by KS104")


def test_the_backend_that_ran_is_in_the_method():
    verdict = Verdict("not-reproduced", "", "synthesised: A()", "", "tensorflow")
    assert _interpret("KS101", verdict)["method"] == "synthesised: A(); backend tensorflow"


def test_a_reload_with_the_class_passed_shows_what_hides_behind_an_unregistered_class():
    behind = Verdict("confirmed", "config key 'offset' missing after reload (was -0.5)",
                     "the class passed in custom_objects", "compare")
    verdict = Verdict("confirmed", "TypeError: Could not locate class 'Rescale'", "m", "load",
                      "jax", behind)
    assert _interpret("KS301", verdict, ["KS102"])["status"] == "confirmed"
    result = _interpret("KS102", verdict, ["KS301"])
    assert result["status"] == "confirmed"
    assert result["detail"] == ("with KS301 worked around (the class passed in custom_objects): "
                                "config key 'offset' missing after reload (was -0.5)")
    same = Verdict("confirmed", verdict.detail, "m", "load", "jax",
                   Verdict("not-reproduced", "preserved", "the class passed in custom_objects"))
    assert _interpret("KS102", same, ["KS301"])["status"] == "not-reproduced"


def test_a_rule_without_evidence_is_the_blocker_of_last_resort():
    verdict = Verdict("confirmed", "NotImplementedError: Object ResNet was created by passing "
                      "non-serializable argument values", "m", "save")
    result = _interpret("KS301", verdict, ["KS104", "KS101"])
    assert result["detail"].startswith("blocked by KS101: ")


def test_config_only_round_trips_do_not_clear_build_or_weight_findings():
    verdict = Verdict("not-reproduced", "config and attributes (never called) preserved",
                      "synthesised: A(); config only: the layer was never called, ...")
    assert _interpret("KS102", verdict)["status"] == "not-reproduced"
    assert _interpret("KS401", verdict)["status"] == "inconclusive"


def test_a_class_without_a_usable_config_is_still_looked_up_by_name():
    probe = Verdict("confirmed", "TypeError: Could not locate class 'ResNet'",
                    "saved again with get_config() returning only name and trainable",
                    "load")
    verdict = Verdict("confirmed", "NotImplementedError: Object ResNet was created by passing "
                      "non-serializable argument values", "m", "save", "jax", probe)
    assert _interpret("KS101", verdict, ["KS301"])["status"] == "confirmed"
    result = _interpret("KS301", verdict, ["KS101"])
    assert result["status"] == "confirmed"
    assert result["detail"].startswith("with KS101 worked around (saved again with get_config()")
    found = Verdict("confirmed", verdict.detail, "m", "save", "jax",
                    Verdict("not-reproduced", "Keras found the class by name at load", "p"))
    assert _interpret("KS301", found, ["KS101"])["status"] == "not-reproduced"
    # that the class was found says nothing about another finding
    assert _interpret("KS104", found, ["KS101"])["status"] == "inconclusive"

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
    result = _interpret("KS102", saving, message=message)
    assert result["status"] == "inconclusive"
    assert "failed for another reason first" in result["detail"]
    loading = Verdict("confirmed", "TypeError: got an unexpected keyword argument 'strength'",
                      "m", "load")
    assert _interpret("KS102", loading, message=message)["status"] == "confirmed"
    # A later stage than the one named still confirms: the mistake happened and broke more.
    silent = "after load_model the layer silently uses shift=0.0"
    assert _interpret("KS102", loading, message=silent)["status"] == "inconclusive"
    assert _interpret("KS102", saving, message="so model.save() raises NotImplementedError")[
        "status"] == "confirmed"


def test_an_omitted_argument_left_at_its_default_is_not_evidence_against():
    message = "ImageConverter.get_config() omits 'data_format': after load_model ..."
    untouched = Verdict("not-reproduced", "", "synthesised: ImageConverter(antialias=True, "
                        "name='kcheck_probe'); input float32(2, 4)")
    result = _interpret("KS102", untouched, message=message)
    assert result["status"] == "inconclusive"
    assert "'data_format' at its default" in result["detail"]
    set_ = Verdict("not-reproduced", "", "synthesised: ImageConverter(data_format='x'); input")
    assert _interpret("KS102", set_, message=message)["status"] == "not-reproduced"


def test_a_call_finding_is_not_judged_on_a_synthesised_stand_in():
    method = ("synthesised: keras.layers.Lambda(function=keras.layers.Dense(3)); fell back after "
              "Lambda(lambda x: x, name=name) raised NameError: name 'name' is not defined")
    stand_in = Verdict("not-reproduced", "config, attributes and results preserved", method)
    result = _interpret("KS602", stand_in, message="Lambda() receives a lambda", about_call=True)
    assert result["status"] == "inconclusive"
    assert "could not be evaluated on its own" in result["detail"]
    the_call = Verdict("confirmed", "ValueError: Requested the deserialization of a `Lambda` "
                       "layer whose `function` is a Python lambda", "the call at x.py:3: "
                       "keras.layers.Lambda(lambda x: x)", "load")
    assert _interpret("KS602", the_call, message="so loading fails", about_call=True)["status"] == \
        "confirmed"
