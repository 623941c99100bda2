import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# In-process Keras (assert_roundtrip tests) uses the same CPU backend as the verifier's children.
os.environ.setdefault("KERAS_BACKEND", "jax")
