"""The rule interface: a rule is a small class with a code, examples and a check over facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from kcheck.facts.keras_release import parse_keras_version, version_before
from kcheck.facts.project import ClassInfo, ModuleInfo, Project
from kcheck.facts.registrations import Registrations
from kcheck.fixes import Fix


@dataclass(frozen=True)
class Finding:
    """One rule violation, before positions are computed."""

    code: str
    message: str
    node: cst.CSTNode
    class_name: str | None = None
    # What the verifier should build for a finding outside any class ("class\texample"); the
    # engine fills it for calls of built-in layers when the rule leaves it empty.
    subject: str | None = None
    # The repair the rule built from the same facts (kcheck.fixes), if there is a sound one.
    fix: Fix | None = field(default=None, compare=False)


@dataclass
class Context:
    """What a rule may read besides the class: the project and the module-wide facts."""

    project: Project
    module: ModuleInfo
    registrations: Registrations
    keras_version: int = 3
    settings: dict = field(default_factory=dict)
    # The Keras release checked for, as far as it is known: (3,) is "the newest Keras 3",
    # (3, 3) is Keras 3.3 (see :func:`parse_keras_version`).
    keras_target: tuple[int, ...] = ()


class Rule:
    """Base class of all rules.

    Subclasses set ``code``, ``name``, ``summary``, ``severity``, ``default_enabled`` and the
    ``VALID`` / ``INVALID`` example programs (``INVALID`` ones mark each expected finding with a
    trailing ``# expect: KSxxx`` comment); the test suite runs every example of every rule.
    """

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[str] = "error"
    default_enabled: ClassVar[bool] = True
    # The Keras major versions whose behaviour makes this rule's findings real.
    KERAS_VERSIONS: ClassVar[frozenset[int]] = frozenset({2, 3})
    # The releases in which the mistake breaks, measured: from the first (inclusive) to the
    # second (exclusive), as "3.4" strings; None leaves that end open. A rule is silent when
    # the targeted Keras is outside the range (see :meth:`applies_to`).
    KERAS_RANGE: ClassVar[tuple[str | None, str | None]] = (None, None)
    # Text in a confirmed verdict's detail that shows *this* mistake caused it. Empty: any
    # failure or difference of the round trip counts.
    RUNTIME_EVIDENCE: ClassVar[tuple[str, ...]] = ()
    # Why a round trip of a freshly built instance cannot show this mistake, if it cannot: then
    # a clean round trip is reported as inconclusive with this reason, not as "not reproduced".
    RUNTIME_BLIND_SPOT: ClassVar[str] = ""
    VALID: ClassVar[list[str]] = []
    INVALID: ClassVar[list[str]] = []

    @classmethod
    def applies_to(cls, target: tuple[int, ...]) -> bool:
        """Whether the rule's mistake breaks on the targeted Keras release.

        *target* is ``(major,)`` or ``(major, minor[, patch])``; a part that is not given means
        the newest release of what is given, so ``(3,)`` is outside a range that ends at 3.4.
        """
        if not target or target[0] not in cls.KERAS_VERSIONS:
            return False
        since, before = cls.KERAS_RANGE
        if since is not None and version_before(target, parse_keras_version(since)):
            return False
        return before is None or version_before(target, parse_keras_version(before))

    def check_class(self, cls: ClassInfo, context: Context) -> Iterable[Finding]:
        return ()

    def check_module(self, context: Context) -> Iterable[Finding]:
        return ()

    # Fix examples, as Fixit has them: (invalid source, source after ``--fix --unsafe-fixes``
    # with only this rule selected). The generic rule test applies the fix and compares.
    FIXES: ClassVar[list[tuple[str, str]]] = []

    def finding(self, message: str, node: cst.CSTNode, cls: ClassInfo | None = None,
                subject: str | None = None, fix: Fix | None = None) -> Finding:
        return Finding(self.code, message, node, cls.name if cls is not None else None, subject,
                       fix)
