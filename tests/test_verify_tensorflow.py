"""The backend is chosen per module: TensorFlow-using files run under the TensorFlow backend
when TensorFlow is installed. The round trip under TensorFlow is skipped without it (it is a
heavy optional stack: benchmarks/verify_realcode.py measures it in its own virtualenv)."""
import importlib.util
import os

import pytest

from kcheck.verify import VerifyTarget
from kcheck.verify.scheduling import choose_backend, imports_tensorflow

CASES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "verify_cases")
TUTORIAL = os.path.join(CASES, "tutorial_script.py")
PLAIN = os.path.join(CASES, "good_layer.py")
HAS_TF = importlib.util.find_spec("tensorflow") is not None


def test_which_files_import_tensorflow(tmp_path):
    assert imports_tensorflow(TUTORIAL)
    assert not imports_tensorflow(PLAIN)
    spelled = tmp_path / "spelled.py"
    spelled.write_text("from tensorflow.keras import layers\n")
    assert imports_tensorflow(str(spelled))
    broken = tmp_path / "broken.py"
    broken.write_text("def (:\n")
    assert not imports_tensorflow(str(broken))
    assert not imports_tensorflow(str(tmp_path / "missing.py"))


def test_backend_choice(monkeypatch):
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    expected = "tensorflow" if HAS_TF else ""
    assert choose_backend(VerifyTarget(TUTORIAL, "Shift", "layer")) == expected
    assert choose_backend(VerifyTarget(PLAIN, "Scale", "layer")) == ""
    assert choose_backend(VerifyTarget(PLAIN, "Scale", "layer", backend="torch")) == "torch"
    monkeypatch.setenv("KERAS_BACKEND", "jax")  # the environment wins for every file
    assert choose_backend(VerifyTarget(TUTORIAL, "Shift", "layer")) == ""


@pytest.mark.skipif(not HAS_TF, reason="TensorFlow is not installed (optional heavy stack)")
def test_tensorflow_files_run_under_tensorflow(monkeypatch):
    from kcheck.verify import verify_targets

    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    tf_target = VerifyTarget(TUTORIAL, "TfOps", "layer")
    plain = VerifyTarget(PLAIN, "Scale", "layer")
    tf_verdict, plain_verdict = verify_targets([tf_target, plain], timeout=180, jobs=1)
    assert tf_verdict.backend == "tensorflow", tf_verdict
    assert tf_verdict.status == "not-reproduced", tf_verdict  # tf.nn.relu is real here
    assert plain_verdict.backend == "jax", plain_verdict
