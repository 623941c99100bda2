"""KS502: save_assets without load_assets, or the reverse."""

from __future__ import annotations

from kcheck.facts.state_methods import does_something
from kcheck.rules.base import Rule


class AssetsPairIncomplete(Rule):
    """A Keras object overrides ``save_assets`` but not ``load_assets``, or the reverse.

    Whatever ``save_assets`` writes into the ``.keras`` file is never read back, so the reloaded
    object keeps its constructor state; a ``load_assets`` with nothing saved for it has nothing
    to read and the reloaded object keeps its constructor state just the same (measured: no
    error, different outputs). Overrides whose body only calls ``super()`` are not reported."""

    code = "KS502"
    name = "assets-pair-incomplete"
    summary = "save_assets without load_assets, or the reverse"
    RUNTIME_BLIND_SPOT = (
        "the verifier builds fresh instances, whose asset state the constructor re-creates; "
        "state set after construction (by adapt(), or a loaded vocabulary) is what the missing "
        "method would carry"
    )
    VALID = [
        '''
import os
import keras

class Vocab(keras.layers.Layer):
    def save_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocab.txt"), "w") as f:
            f.write("\\n".join(self.vocab))

    def load_assets(self, dir_path):
        with open(os.path.join(dir_path, "vocab.txt")) as f:
            self.vocab = f.read().split("\\n")
''',
    ]
    INVALID = [
        '''
import os
import keras

class Vocab(keras.layers.Layer):
    def save_assets(self, dir_path):  # expect: KS502
        with open(os.path.join(dir_path, "vocab.txt"), "w") as f:
            f.write("\\n".join(self.vocab))
''',
        '''
import os
import keras

class Vocab(keras.layers.Layer):
    def load_assets(self, dir_path):  # expect: KS502
        with open(os.path.join(dir_path, "vocab.txt")) as f:
            self.vocab = f.read().split("\\n")
''',
    ]

    def check_class(self, cls, context):
        if cls.kind is None:
            return
        save = cls.find_method("save_assets")
        load = cls.find_method("load_assets")
        if save is not None and load is None and save[0] is cls and does_something(save[1]):
            yield self.finding(
                f"{cls.name}.save_assets() has no load_assets(): what it writes into the .keras "
                "file is never read back, so after load_model the object silently keeps its "
                f"constructor state; define {cls.name}.load_assets() that restores it",
                save[1].node.name, cls)
        elif load is not None and save is None and load[0] is cls and does_something(load[1]):
            yield self.finding(
                f"{cls.name}.load_assets() has no save_assets(): nothing is ever written for it "
                "to read, so after load_model the object silently keeps its constructor state; "
                f"define {cls.name}.save_assets() that writes what load_assets() reads",
                load[1].node.name, cls)
