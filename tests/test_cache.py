"""The findings cache: unchanged files are answered from it, and nothing stale comes back."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

BASE = textwrap.dedent('''
    import keras

    @keras.saving.register_keras_serializable(package="t")
    class Base(keras.layers.Layer):
        def get_config(self):
            return super().get_config()
''')
CHILD = textwrap.dedent('''
    import keras
    from base import Base

    @keras.saving.register_keras_serializable(package="t")
    class Child(Base):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, x):
            return self.inner(x)
''')


def run(tmp_path: Path, *args: str) -> list[tuple[str, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "kcheck", "--select", "KS101", "--format", "json",
         "--cache-dir", str(tmp_path / "cache"), *args, str(tmp_path / "src")],
        capture_output=True, text=True, timeout=120)
    return sorted((Path(item["path"]).name, item["code"]) for item in json.loads(result.stdout))


def test_cache_is_used_and_invalidated_by_edits_to_the_file_and_its_bases(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "base.py").write_text(BASE)
    (src / "child.py").write_text(CHILD)
    assert run(tmp_path) == []  # Base defines get_config, so Child inherits it
    assert list((tmp_path / "cache").rglob("*.json")), "the run must fill the cache"
    assert run(tmp_path) == []
    # Editing the base class's file must invalidate the child's entry.
    (src / "base.py").write_text(BASE.replace("def get_config", "def other"))
    assert run(tmp_path) == [("child.py", "KS101")]
    # Editing the file itself too.
    (src / "child.py").write_text(CHILD.replace("def call", "def get_config(self):\n"
                                                "        return {}\n\n    def call"))
    assert run(tmp_path) == []


def test_cached_and_uncached_runs_agree_and_options_are_part_of_the_key(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "child.py").write_text(CHILD.replace("from base import Base",
                                                     "from keras.layers import Layer as Base"))
    first = run(tmp_path)
    assert first == [("child.py", "KS101")]
    assert first == run(tmp_path) == run(tmp_path, "--no-cache")
    ignored = subprocess.run(
        [sys.executable, "-m", "kcheck", "--select", "KS1", "--ignore", "KS101", "--format",
         "json", "--cache-dir", str(tmp_path / "cache"), str(src)],
        capture_output=True, text=True)
    assert json.loads(ignored.stdout) == []


def test_unwritable_cache_directory_is_not_an_error(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "child.py").write_text(CHILD.replace("from base import Base",
                                                "from keras.layers import Layer as Base"))
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would go")
    result = subprocess.run([sys.executable, "-m", "kcheck", "--cache-dir", str(blocker),
                             str(src)], capture_output=True, text=True)
    assert "Traceback" not in result.stderr
    assert "KS101" in result.stdout


API = textwrap.dedent('''
    import keras


    def export(path):
        def register(symbol):
            keras.saving.register_keras_serializable(package="pkg")(symbol)
            return symbol
        return register
''')
LAYER = textwrap.dedent('''
    import keras
    from pkg.src.api import export


    @export("pkg.Scale")
    class Scale(keras.layers.Layer):
        def call(self, x):
            return x * 2.0
''')


def test_entry_dies_when_a_package_appears_where_an_import_looked(tmp_path):
    # pkg/src/ is a package but pkg/ is not: `from pkg.src.api import export` does not resolve,
    # so the registration is not seen. Adding pkg/__init__.py makes it resolve; a cached entry
    # that remembered only the modules it found would keep reporting KS301.
    src = tmp_path / "src" / "pkg" / "src"
    src.mkdir(parents=True)
    (src / "__init__.py").write_text("")
    (src / "api.py").write_text(API)
    (src / "layer.py").write_text(LAYER)
    run301 = ("--select", "KS301")
    assert run(tmp_path, *run301) == [("layer.py", "KS301")]
    assert run(tmp_path, *run301) == [("layer.py", "KS301")]  # answered from the cache
    (tmp_path / "src" / "pkg" / "__init__.py").write_text("")
    assert run(tmp_path, "--no-cache", *run301) == []
    assert run(tmp_path, *run301) == []
