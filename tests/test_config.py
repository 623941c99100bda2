"""[tool.kcheck] in pyproject.toml, through the real kcheck command."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kcheck.config import glob_matches

GATE = textwrap.dedent('''
    import keras

    @keras.saving.register_keras_serializable(package="t")
    class Gate(keras.layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, x):
            return self.inner(x)
''')
# KS101 and KS301 (not registered) on the same class.
UNREGISTERED_GATE = GATE.replace('@keras.saving.register_keras_serializable(package="t")\n', "")
# Registered only through the project's own decorator.
OWN_DECORATOR = textwrap.dedent('''
    import keras
    from mypkg.registry import register

    @register
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor
''')


def kcheck(*args: str, cwd: Path, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "kcheck", "--format", "json", *args],
                          capture_output=True, text=True, cwd=cwd, input=stdin, timeout=120)


def codes(result) -> set[tuple[str, str]]:
    assert result.returncode in (0, 1), result.stderr
    return {(Path(item["path"]).as_posix(), item["code"]) for item in json.loads(result.stdout)}


def project(tmp_path: Path, config: str, files: dict[str, str]) -> Path:
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent(config))
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_no_config_reports_defaults(tmp_path):
    root = project(tmp_path, "[project]\nname = 'x'\n", {"a.py": UNREGISTERED_GATE})
    assert codes(kcheck(".", cwd=root)) == {("a.py", "KS101"), ("a.py", "KS301")}


@pytest.mark.parametrize("config, expected", [
    ('select = ["KS3"]', {"KS301"}),
    ('ignore = ["KS301"]', {"KS101"}),
    ('select = ["KS1"]\nextend-select = ["KS301"]', {"KS101", "KS301"}),
    ('ignore = ["KS"]', set()),
])
def test_selection_keys(tmp_path, config, expected):
    root = project(tmp_path, f"[tool.kcheck]\n{config}\n", {"a.py": UNREGISTERED_GATE})
    assert {code for _, code in codes(kcheck(".", cwd=root))} == expected


def test_command_line_overrides_the_file(tmp_path):
    root = project(tmp_path, '[tool.kcheck]\nselect = ["KS3"]\n', {"a.py": UNREGISTERED_GATE})
    assert {c for _, c in codes(kcheck("--select", "KS1", ".", cwd=root))} == {"KS101"}
    assert {c for _, c in codes(kcheck("--isolated", ".", cwd=root))} == {"KS101", "KS301"}


def test_per_file_ignores_and_exclude(tmp_path):
    root = project(tmp_path, '''
        [tool.kcheck]
        exclude = ["build", "legacy/*.py"]

        [tool.kcheck.per-file-ignores]
        "tests/*" = ["KS301"]
        "test_*.py" = ["KS1"]
    ''', {
        "src/a.py": UNREGISTERED_GATE,
        "tests/helpers.py": UNREGISTERED_GATE,
        "src/test_layers.py": UNREGISTERED_GATE,
        "build/lib/a.py": UNREGISTERED_GATE,
        "legacy/old.py": UNREGISTERED_GATE,
    })
    found = codes(kcheck(".", cwd=root))
    assert found == {("src/a.py", "KS101"), ("src/a.py", "KS301"),
                     ("tests/helpers.py", "KS101"), ("src/test_layers.py", "KS301")}
    # Excluded files stay excluded when named explicitly (as pre-commit names them).
    assert codes(kcheck("legacy/old.py", "build/lib/a.py", cwd=root)) == set()
    # Globs are relative to the pyproject.toml, wherever kcheck is started.
    found = codes(kcheck("../tests/helpers.py", cwd=root / "src"))
    assert {code for _, code in found} == {"KS101"}


def test_nearest_config_applies_per_file(tmp_path):
    root = project(tmp_path, '[tool.kcheck]\nignore = ["KS301"]\n', {
        "a.py": UNREGISTERED_GATE,
        "sub/pyproject.toml": '[tool.kcheck]\nignore = ["KS101"]\n',
        "sub/b.py": UNREGISTERED_GATE,
        # A pyproject.toml without [tool.kcheck] does not stop the search.
        "other/pyproject.toml": '[project]\nname = "other"\n',
        "other/c.py": UNREGISTERED_GATE,
    })
    assert codes(kcheck(".", cwd=root)) == {("a.py", "KS101"), ("sub/b.py", "KS301"),
                                            ("other/c.py", "KS101")}


def test_keras_version_and_extra_decorators(tmp_path):
    root = project(tmp_path, '''
        [tool.kcheck]
        extra-registration-decorators = ["mypkg.registry.register"]
    ''', {"layer.py": OWN_DECORATOR})
    assert codes(kcheck(".", cwd=root)) == set()
    assert {c for _, c in codes(kcheck("--isolated", ".", cwd=root))} == {"KS301"}
    (root / "pyproject.toml").write_text('[tool.kcheck]\nkeras-version = 2\n')
    assert kcheck(".", cwd=root).returncode in (0, 1)


@pytest.mark.parametrize("config, message", [
    ('selectt = ["KS1"]', "selectt: unknown key"),
    ('extend_select = ["KS1"]', "did you mean 'extend-select'"),
    ('select = "KS1,KS3"', "'KS1,KS3' matches no kcheck rule"),
    ('select = ["KS9"]', "'KS9' matches no kcheck rule"),
    ('keras-version = 4', "keras-version: expected 2 or 3"),
    ('keras-version = "3"', "keras-version: expected 2 or 3"),
    ('verify-timeout = -1', "verify-timeout: expected a positive number"),
    ('exclude = [1, 2]', "exclude: expected a list of strings"),
    ('per-file-ignores = ["tests/*"]', "per-file-ignores: expected a table"),
    ('extra-registration-decorators = ["not a name"]', "is not a dotted name"),
    ('examples = { "Gate" = "Gate(1)" }', "the key must be 'module:Class'"),
    ('examples = { "m:Gate" = "Gate(" }', "not a Python expression"),
    ('examples = { "m:Gate" = 3 }', "expected a constructor expression string"),
    ('select = [', "invalid TOML"),
])
def test_bad_config_is_a_clear_error(tmp_path, config, message):
    root = project(tmp_path, f"[tool.kcheck]\n{config}\n", {"a.py": GATE})
    result = kcheck(".", cwd=root)
    assert result.returncode == 2
    assert message in result.stderr
    assert "pyproject.toml" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_examples_and_timeout_are_read(tmp_path):
    from kcheck.config import load_config

    path = tmp_path / "pyproject.toml"
    path.write_text(textwrap.dedent('''
        [tool.kcheck]
        verify-timeout = 30
        [tool.kcheck.examples]
        "mypkg.layers:Gate" = "Gate(keras.layers.Dense(4))"
    '''))
    config = load_config(path)
    assert config.verify_timeout == 30.0
    assert config.example_constructors == {"mypkg.layers:Gate": "Gate(keras.layers.Dense(4))"}


def test_explicit_config_file(tmp_path):
    root = project(tmp_path, '[tool.kcheck]\nignore = ["KS301"]\n', {"a.py": UNREGISTERED_GATE})
    other = tmp_path / "elsewhere" / "pyproject.toml"
    other.parent.mkdir()
    other.write_text('[tool.kcheck]\nignore = ["KS101"]\n')
    found = codes(kcheck("--config", str(other), ".", cwd=root))
    assert {c for _, c in found} == {"KS301"}
    missing = kcheck("--config", str(tmp_path / "nope.toml"), ".", cwd=root)
    assert missing.returncode == 2 and "cannot read" in missing.stderr


@pytest.mark.parametrize("pattern, path, matches", [
    ("build", "build/lib/a.py", True),
    ("build", "src/build.py", False),
    ("*.py", "a/b.py", True),
    ("tests/*", "tests/a/b.py", True),
    ("tests/*", "src/tests/a.py", False),
    ("src/**/legacy_*.py", "src/legacy_a.py", True),
    ("src/**/legacy_*.py", "src/x/y/legacy_a.py", True),
    ("src/*.py", "src/x/a.py", False),
    ("./docs/", "docs/conf.py", True),
    ("test_?.py", "test_a.py", True),
    ("[ab].py", "c.py", False),
])
def test_glob_semantics(pattern, path, matches):
    assert glob_matches(pattern, path) is matches
