"""KS501: save_own_variables writes keys no load_own_variables reads, or the reverse."""

from __future__ import annotations

from kcheck.facts.state_methods import literal_writes, required_reads
from kcheck.rules.base import Rule


class OwnVariablesPairIncomplete(Rule):
    """A layer overrides ``save_own_variables`` to store extra entries but not
    ``load_own_variables``, or ``load_own_variables`` to read entries that the inherited
    ``save_own_variables`` never stores.

    The inherited ``load_own_variables`` checks that the store holds exactly one entry per
    variable, so an extra entry makes ``load_model`` fail; an entry read but never written is a
    ``KeyError``. Overrides that only call ``super()`` and post-process are not reported."""

    code = "KS501"
    name = "own-variables-pair-incomplete"
    summary = "save_own_variables and load_own_variables that do not agree on their entries"
    RUNTIME_EVIDENCE = ("variables during loading", "KeyError", "could not be loaded")
    VALID = [
        '''
import keras
import numpy as np

class Extra(keras.layers.Layer):
    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["offset"] = self.offset

    def load_own_variables(self, store):
        self.offset = np.asarray(store["offset"])
''',
        '''
import keras

class Logged(keras.layers.Layer):
    def load_own_variables(self, store):
        super().load_own_variables(store)
        self.loaded = True
''',
    ]
    INVALID = [
        '''
import keras

class Extra(keras.layers.Layer):
    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["offset"] = self.offset  # expect: KS501
''',
        '''
import keras
import numpy as np

class Extra(keras.layers.Layer):
    def load_own_variables(self, store):
        super().load_own_variables(store)
        self.offset = np.asarray(store["offset"])  # expect: KS501
''',
    ]

    def check_class(self, cls, context):
        if cls.kind is None:
            return
        save = cls.find_method("save_own_variables")
        load = cls.find_method("load_own_variables")
        if save is not None and load is None and save[0] is cls:
            for key, node in literal_writes(save[1]).items():
                if key.isdigit():
                    continue  # the default numbering of variables
                yield self.finding(
                    f"{cls.name}.save_own_variables() stores {key!r} but there is no "
                    "load_own_variables(): the inherited one expects one entry per variable, so "
                    "load_model fails with \"expected N variables, but received N+1\"; define "
                    f"{cls.name}.load_own_variables() that reads {key!r}", node, cls)
                return
        elif load is not None and save is None and load[0] is cls:
            for key, node in required_reads(load[1]).items():
                if key.isdigit():
                    continue
                yield self.finding(
                    f"{cls.name}.load_own_variables() reads store[{key!r}] but there is no "
                    "save_own_variables() that writes it, so load_model fails with KeyError: "
                    f"{key!r}; define {cls.name}.save_own_variables() that stores {key!r}",
                    node, cls)
                return
