"""flake8 and the kcheck command agree: [tool.kcheck], per-file-ignores, noqa, kcheck options."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("flake8")

GATE = textwrap.dedent('''\
    import keras


    class Gate(keras.layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, x):
            return self.inner(x)
''')
OWN_DECORATOR = textwrap.dedent('''\
    import keras
    from mypkg.registry import register


    @register
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor
''')


def flake8(*args: str, cwd: Path) -> set[tuple[str, int, str]]:
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "KS", *args],
                            capture_output=True, text=True, cwd=cwd, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    found = set()
    for line in result.stdout.splitlines():
        path, row, _col, message = line.split(":", 3)
        found.add((Path(path).as_posix().removeprefix("./"), int(row), message.split()[0]))
    return found


def kcheck(*args: str, cwd: Path) -> set[tuple[str, int, str]]:
    result = subprocess.run([sys.executable, "-m", "kcheck", "--format", "json", *args],
                            capture_output=True, text=True, cwd=cwd, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    return {(Path(i["path"]).as_posix(), i["line"], i["code"]) for i in json.loads(result.stdout)}


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_pyproject_settings_apply_in_both_front_ends(tmp_path):
    root = write(tmp_path, {
        "pyproject.toml": textwrap.dedent('''
            [tool.kcheck]
            exclude = ["legacy"]
            [tool.kcheck.per-file-ignores]
            "tests/*" = ["KS301"]
        '''),
        "src/gate.py": GATE,
        "tests/gate_test.py": GATE,
        "legacy/gate.py": GATE,
        "src/quiet.py": GATE.replace("class Gate(keras.layers.Layer):",
                                     "class Gate(keras.layers.Layer):  # noqa: KS1"),
    })
    expected = {("src/gate.py", 4, "KS101"), ("src/gate.py", 4, "KS301"),
                ("tests/gate_test.py", 4, "KS101"), ("src/quiet.py", 4, "KS301")}
    assert kcheck("src", "tests", "legacy", cwd=root) == expected
    assert flake8("src", "tests", "legacy", cwd=root) == expected


def test_flake8_own_per_file_ignores_still_work(tmp_path):
    root = write(tmp_path, {"a/gate.py": GATE, "b/gate.py": GATE})
    found = flake8("--per-file-ignores", "a/*:KS301", ".", cwd=root)
    assert found == {("a/gate.py", 4, "KS101"), ("b/gate.py", 4, "KS101"),
                     ("b/gate.py", 4, "KS301")}


def test_extra_registration_decorators(tmp_path):
    root = write(tmp_path, {"layer.py": OWN_DECORATOR})
    assert flake8("layer.py", cwd=root) == {("layer.py", 6, "KS301")}
    assert kcheck("layer.py", cwd=root) == {("layer.py", 6, "KS301")}
    option = "--kcheck-extra-registration-decorators=mypkg.registry.register"
    assert flake8(option, "layer.py", cwd=root) == set()
    assert kcheck("--extra-registration-decorators", "mypkg.registry.register", "layer.py",
                  cwd=root) == set()
    # From flake8's own configuration file, as a comma-separated list.
    (root / ".flake8").write_text("[flake8]\nkcheck-extra-registration-decorators =\n"
                                  "    other.register,\n    mypkg.registry.register\n")
    assert flake8("layer.py", cwd=root) == set()


def test_extra_registration_decorators_from_pyproject(tmp_path):
    root = write(tmp_path, {
        "layer.py": OWN_DECORATOR,
        "pyproject.toml": '[tool.kcheck]\n'
                          'extra-registration-decorators = ["mypkg.registry.register"]\n',
    })
    assert flake8("layer.py", cwd=root) == set()
    assert kcheck("layer.py", cwd=root) == set()


def test_keras_version_option_overrides_pyproject(tmp_path):
    root = write(tmp_path, {"gate.py": GATE, "pyproject.toml": "[tool.kcheck]\n"
                                                                "keras-version = 2\n"})
    for version in ("2", "3"):
        assert flake8(f"--kcheck-keras-version={version}", "gate.py", cwd=root) == \
            kcheck("--keras-version", version, "gate.py", cwd=root)
    assert flake8("gate.py", cwd=root) == kcheck("gate.py", cwd=root)


def test_bad_pyproject_is_reported_by_flake8(tmp_path):
    root = write(tmp_path, {"gate.py": GATE, "pyproject.toml": "[tool.kcheck]\nbogus = 1\n"})
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "KS", "gate.py"],
                            capture_output=True, text=True, cwd=root, timeout=120)
    assert result.returncode == 1
    assert "KS000 kcheck configuration error" in result.stdout
    assert "bogus: unknown key" in result.stdout
    assert "Traceback" not in result.stderr


def test_flake8_stdin_uses_the_display_name(tmp_path):
    root = write(tmp_path, {"pyproject.toml": '[tool.kcheck.per-file-ignores]\n'
                                              '"tests/*" = ["KS301"]\n'})
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "KS",
                             "--stdin-display-name", "tests/gate.py", "-"],
                            capture_output=True, text=True, cwd=root, input=GATE, timeout=120)
    assert result.stdout.startswith("tests/gate.py:4:7: KS101")
    assert "KS301" not in result.stdout
