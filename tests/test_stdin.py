"""``kcheck -`` reads a file from standard input, as editors and formatters-on-save call it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

BASE = textwrap.dedent('''
    import keras


    class Base(keras.layers.Layer):
        pass
''')
# No keras mention at all: only the cross-file base makes Gate a layer.
CHILD = textwrap.dedent('''\
    from .base import Base


    class Gate(Base):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, x):
            return self.inner(x)
''')


def kcheck(*args: str, cwd: Path, stdin: str | bytes):
    text = isinstance(stdin, str)
    return subprocess.run([sys.executable, "-m", "kcheck", *args], capture_output=True,
                          text=text, cwd=cwd, input=stdin, timeout=120)


def make_package(root: Path) -> Path:
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "base.py").write_text(BASE)
    return root


def test_stdin_filename_is_displayed_and_resolves_bases_from_its_folder(tmp_path):
    root = make_package(tmp_path)
    result = kcheck("--format", "json", "-", "--stdin-filename", "pkg/child.py",
                    cwd=root, stdin=CHILD)
    assert result.returncode == 1, result.stderr
    found = {(item["path"], item["line"], item["code"]) for item in json.loads(result.stdout)}
    assert found == {("pkg/child.py", 4, "KS101"), ("pkg/child.py", 4, "KS301")}
    # The file on disk need not exist, and is not read: the text comes from standard input.
    assert not (root / "pkg" / "child.py").exists()


def test_stdin_without_a_name(tmp_path):
    keras_child = CHILD.replace("from .base import Base", "import keras").replace(
        "(Base)", "(keras.layers.Layer)")
    result = kcheck("-", cwd=tmp_path, stdin=keras_child)
    assert result.returncode == 1
    assert result.stdout.startswith("-:4:7: KS101 ")


def test_stdin_filename_finds_the_configuration(tmp_path):
    root = make_package(tmp_path)
    (root / "pyproject.toml").write_text(textwrap.dedent('''
        [tool.kcheck]
        exclude = ["generated"]
        [tool.kcheck.per-file-ignores]
        "pkg/*" = ["KS301"]
    '''))
    result = kcheck("--format", "json", "-", "--stdin-filename", "pkg/child.py",
                    cwd=root, stdin=CHILD)
    assert {item["code"] for item in json.loads(result.stdout)} == {"KS101"}
    # From a subfolder, the name is still resolved against the working folder.
    result = kcheck("--format", "json", "-", "--stdin-filename", "child.py",
                    cwd=root / "pkg", stdin=CHILD)
    assert {item["code"] for item in json.loads(result.stdout)} == {"KS101"}
    excluded = kcheck("-", "--stdin-filename", "generated/x.py", cwd=root, stdin=CHILD)
    assert excluded.returncode == 0 and excluded.stdout == ""


def test_stdin_noqa_and_show_source(tmp_path):
    root = make_package(tmp_path)
    text = CHILD.replace("class Gate(Base):", "class Gate(Base):  # noqa: KS301")
    result = kcheck("--show-source", "-", "--stdin-filename", "pkg/child.py", cwd=root,
                    stdin=text)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("pkg/child.py:4:7: KS101")
    assert lines[1] == "4 | class Gate(Base):  # noqa: KS301"
    assert lines[2] == "  |       ^"
    assert "KS301" not in lines[0]


def test_bad_stdin_is_reported_not_raised(tmp_path):
    result = kcheck("-", cwd=tmp_path, stdin=b"\xff\xfe\x00import keras\n")
    assert result.returncode == 2
    assert b"KS000" in result.stdout and b"Traceback" not in result.stderr
    result = kcheck("-", cwd=tmp_path, stdin="import keras\nclass A(keras.layers.Layer:\n")
    assert result.returncode == 2 and "KS000 syntax error" in result.stdout


def test_stdin_misuse_is_a_usage_error(tmp_path):
    for args in (("-", "other.py"), ("--stdin-filename", "a.py", "other.py")):
        result = kcheck(*args, cwd=tmp_path, stdin="")
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
