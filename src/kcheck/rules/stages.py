"""The stage of a round trip at which a finding's message says the mistake shows.

Every message says what breaks and when: building or first calling the object, ``model.save()``,
``load_model``, or nothing at all (a *silent* difference after reload). The verifier observes a
stage too; a finding is confirmed only by a failure at the stage its message names or a later
one, and ``tests/test_corpus_runtime.py`` checks over the whole corpus that the stage a
confirmed finding names is the one observed.
"""

from __future__ import annotations

import re

STAGES = ("build", "save", "load", "silent")

_PHRASES = {
    "build": re.compile(r"building the \w+ fails|the first time the layer is called|"
                        r"at the layer's first use|fails at construction|when the \w+ is built"),
    "save": re.compile(r"model\.save\(\) (?:fails|raises)|saving (?:the model )?fails|"
                       r"writes nothing"),
    "load": re.compile(r"load_model (?:in a fresh process )?fails|loading fails|fails to load|"
                       r"deserializ\w+ fails"),
    "silent": re.compile(r"\bsilently\b"),
}

# The verifier's stages: construct and call are building; compare finds silent differences.
_OBSERVED = {"construct": "build", "call": "build", "save": "save", "load": "load",
             "compare": "silent"}


def named_stages(message: str) -> set[str]:
    """Every stage *message* says the mistake shows at."""
    return {stage for stage, phrase in _PHRASES.items() if phrase.search(message)}


def observed_stage(stage: str, detail: str = "") -> str | None:
    """The verifier's stage in the same words; a reloaded object that fails on the input the
    original accepted did not load usably, so that counts as a load failure."""
    if stage == "compare" and "fails on the same input" in detail:
        return "load"
    return _OBSERVED.get(stage)


_OMITTED = re.compile(r"omits '(\w+)'")


def untested_argument(message: str, method: str) -> str | None:
    """The constructor argument a finding says the config loses, when the verifier synthesised
    the instance without setting it: left at its default, losing it changes nothing, so a clean
    round trip says nothing about the finding."""
    match = _OMITTED.search(message)
    if match is None or not method.startswith("synthesised:"):
        return None
    call = method.split(";", 1)[0]
    return None if re.search(rf"\b{match.group(1)}=", call) else match.group(1)


def precedes(observed: str, named: set[str]) -> bool:
    """True when *observed* comes before every stage the message names: the round trip broke
    before the mistake could show, so it cannot confirm it."""
    if not named:
        return False
    return STAGES.index(observed) < min(STAGES.index(stage) for stage in named)
