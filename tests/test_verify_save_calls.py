"""`kcheck --verify` on checkpoint, load and save-argument findings (KS603, KS604, KS605):
each is confirmed by making the same call in the verifier's scratch folder."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("keras")

PROGRAM = textwrap.dedent('''
    import keras

    def train(model):
        full = keras.callbacks.ModelCheckpoint("ckpt/model_{epoch}")
        weights = keras.callbacks.ModelCheckpoint("ckpt/w.h5", save_weights_only=True)
        again = keras.models.load_model("export/saved_model")
        model.load_weights("training/cp.ckpt")
        model.save("model.keras", signatures=None)
        model.save_weights("model.weights.h5", save_format="h5")
        fine = keras.callbacks.ModelCheckpoint("ckpt/model_{epoch}.keras")
        return full, weights, again, fine
''')


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    folder = tmp_path_factory.mktemp("calls")
    path = folder / "train.py"
    path.write_text(PROGRAM)
    result = subprocess.run(
        [sys.executable, "-m", "kcheck", "--no-cache", "--verify", "--format", "json",
         str(path)], capture_output=True, text=True, timeout=600, cwd=folder)
    assert result.returncode == 1, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["train.py"], "nothing written here"
    return {item["line"]: item for item in json.loads(result.stdout)}


@pytest.mark.parametrize(("line", "code", "evidence"), [
    (5, "KS603", "must end in `.keras`"),
    (6, "KS603", "must end in `.weights.h5`"),
    (7, "KS604", "File format not supported"),
    (8, "KS604", "File format not supported"),
    (9, "KS605", "not supported: ['signatures']"),
    (10, "KS605", "unexpected keyword argument 'save_format'"),
])
def test_each_finding_is_confirmed_by_the_same_call(verified, line, code, evidence):
    finding = verified[line]
    assert finding["code"] == code
    assert finding["verification"]["status"] == "confirmed", finding["verification"]
    assert evidence in finding["verification"]["detail"]


def test_an_accepted_call_is_not_reported(verified):
    assert 11 not in verified
