"""What changes what a check reports, in a form the cache can key on."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from kcheck.engine.selection import Selection


@dataclass(frozen=True)
class Options:
    """Everything that changes what a check reports."""

    selection: Selection = field(default_factory=Selection)
    keras_version: int = 3
    extra_decorators: frozenset[str] = frozenset()
    # package= of the registration fixes (KS301/KS302); None: the module's top-level package
    registration_package: str | None = None
    # The release targeted, when more than the major version is known ((3, 3) for Keras 3.3);
    # empty: the newest release of keras_version.
    keras_target: tuple[int, ...] = ()
    # Parse every file whole with libcst, as kcheck 0.1 did, instead of leaving out the function
    # bodies no rule reads (kcheck.facts.relevance): slower, same findings; for checking that.
    full_parse: bool = False
    # Describe each fix's edits (json and sarif print them); without, a fix is its
    # applicability and message, which is all the text output and --fix need.
    fix_edits: bool = True
    # Build each finding's fix. Off in the flake8 plugin, which prints messages only (a message
    # never depends on its fix); every run that reads the cache builds them.
    fixes: bool = True

    @property
    def target(self) -> tuple[int, ...]:
        return self.keras_target or (self.keras_version,)


def options_key(options: Options) -> str:
    """A stable text form of the options, for cache keys (no set ordering, no hash seeds).
    ``full_parse`` and ``fix_edits`` are left out: the findings are the same either way, and a
    run that needs fix edits does not take an entry cached without them (kcheck.engine.batch).
    So is ``fixes``: only the flake8 plugin turns it off, and it has no cache."""
    selection = options.selection
    return json.dumps([selection.select, selection.extend_select, selection.ignore,
                       options.keras_version, sorted(options.extra_decorators),
                       options.registration_package, list(options.target)])
