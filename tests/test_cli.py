"""The kcheck command as a user runs it: a real subprocess, real files."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

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
CLEAN = textwrap.dedent('''
    import keras

    @keras.saving.register_keras_serializable(package="t")
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor
''')


def kcheck(*args: str, cwd: Path | None = None, stdin: str | None = None):
    return subprocess.run([sys.executable, "-m", "kcheck", *args], capture_output=True,
                          text=True, cwd=cwd, input=stdin, timeout=120)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_reports_finding_with_position_and_exit_1(tmp_path):
    path = write(tmp_path, "gate.py", GATE)
    result = kcheck(str(path))
    assert result.returncode == 1
    assert f"{path}:5:7: KS101 Gate has no get_config()" in result.stdout
    assert "Found 1 finding in 1 file." in result.stdout
    assert result.stderr == ""


def test_clean_file_exits_0_silently(tmp_path):
    result = kcheck(str(write(tmp_path, "scale.py", CLEAN)))
    assert (result.returncode, result.stdout) == (0, "")


def test_folder_recursion_skips_venvs_and_caches(tmp_path):
    write(tmp_path, "pkg/gate.py", GATE)
    write(tmp_path, ".venv/lib/gate.py", GATE)
    write(tmp_path, "env/pyvenv.cfg", "")
    write(tmp_path, "env/gate.py", GATE)
    write(tmp_path, "__pycache__/gate.py", GATE)
    write(tmp_path, ".git/gate.py", GATE)
    result = kcheck(str(tmp_path))
    assert result.stdout.count("KS101") == 1
    assert "pkg" in result.stdout


def test_json_output_fields(tmp_path):
    path = write(tmp_path, "gate.py", GATE)
    result = kcheck("--format", "json", str(path))
    data = json.loads(result.stdout)
    assert result.returncode == 1
    assert data == [{
        "path": str(path), "line": 5, "column": 7, "code": "KS101",
        "message": data[0]["message"], "class": "Gate", "severity": "error", "cell": None,
        "fix": data[0]["fix"],
    }]
    assert "'inner'" in data[0]["message"]
    fix = data[0]["fix"]
    assert fix["applicability"] == "unsafe"
    assert "get_config()" in fix["message"]
    assert any("def get_config(self):" in edit["content"] for edit in fix["edits"])


def test_json_output_is_an_empty_array_when_clean(tmp_path):
    result = kcheck("--format", "json", str(write(tmp_path, "scale.py", CLEAN)))
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(("args", "reported"), [
    (("--select", "KS3"), {"KS301"}),
    (("--select", "KS101,KS301"), {"KS101", "KS301"}),
    (("--ignore", "KS1"), {"KS301"}),
    (("--select", "KS", "--ignore", "KS301"), {"KS101"}),
    (("--select", "KS1", "--ignore", "KS"), {"KS101"}),  # the more specific prefix wins
    (("--ignore", "KS101", "--extend-select", "KS101"), {"KS301"}),
])
def test_select_and_ignore(tmp_path, args, reported):
    decorator = '@keras.saving.register_keras_serializable(package="t")\n'
    path = write(tmp_path, "gate.py", GATE.replace(decorator, ""))
    result = kcheck("--format", "json", *args, str(path))
    assert {item["code"] for item in json.loads(result.stdout)} == reported


def test_unknown_code_in_select_is_a_usage_error(tmp_path):
    result = kcheck("--select", "KS999", str(write(tmp_path, "a.py", CLEAN)))
    assert result.returncode == 2
    assert "KS999" in result.stderr and "Traceback" not in result.stderr


def test_noqa_bare_and_with_codes(tmp_path):
    text = GATE.replace('@keras.saving.register_keras_serializable(package="t")\n', "")
    bare = write(tmp_path, "bare.py", text.replace("Layer):", "Layer):  # noqa"))
    one = write(tmp_path, "one.py", text.replace("Layer):", "Layer):  # noqa: KS101"))
    prefix = write(tmp_path, "prefix.py", text.replace("Layer):", "Layer):  # noqa:KS1,KS3"))
    other = write(tmp_path, "other.py", text.replace("Layer):", "Layer):  # noqa: E501"))
    result = kcheck("--format", "json", str(bare), str(one), str(prefix), str(other))
    codes = {(Path(item["path"]).name, item["code"]) for item in json.loads(result.stdout)}
    assert codes == {("one.py", "KS301"), ("other.py", "KS101"), ("other.py", "KS301")}


def test_exit_codes_for_errors_and_both(tmp_path):
    broken = write(tmp_path, "broken.py", "import keras\nclass (:\n")
    assert kcheck(str(broken)).returncode == 2
    both = kcheck(str(broken), str(write(tmp_path, "gate.py", GATE)))
    assert both.returncode == 3
    assert kcheck(str(tmp_path / "missing.py")).returncode == 2
    assert kcheck("--exit-zero", str(write(tmp_path, "g2.py", GATE))).returncode == 0


@pytest.mark.parametrize(("content", "expected"), [
    (b"import keras\nclass (:\n", "KS000 syntax error"),
    (b"import keras\nx = '\xff\xfe'\n", "KS000 not valid utf-8"),
    (b"# -*- coding: nonsense -*-\nimport keras\n", "KS000 unknown source encoding"),
    (b"import keras\n\x00\n", "KS000 file contains NUL bytes"),
    (b"import keras\n" + b"x = 1\n" * 400_000, "KS000 file is"),
], ids=["syntax", "not-utf8", "bad-coding", "nul", "huge"])
def test_bad_input_becomes_ks000_and_the_run_goes_on(tmp_path, content, expected):
    bad = tmp_path / "bad.py"
    bad.write_bytes(content)
    good = write(tmp_path, "gate.py", GATE)
    result = kcheck(str(bad), str(good))
    assert expected in result.stdout
    assert "KS101" in result.stdout, "the run must go on after a bad file"
    assert "Traceback" not in result.stderr
    assert result.returncode == 3


def test_empty_file_and_latin1_declared_file_are_fine(tmp_path):
    empty = write(tmp_path, "empty.py", "")
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"# -*- coding: latin-1 -*-\nimport keras\nname = '\xe9'\n")
    result = kcheck(str(empty), str(latin))
    assert (result.returncode, result.stdout) == (0, "")


def test_version_and_help_list_the_rules():
    assert kcheck("--version").stdout.startswith("kcheck ")
    help_text = kcheck("--help").stdout
    for code in ("KS101", "KS201", "KS301", "KS401"):
        assert code in help_text


def test_rules_and_rule_subcommands():
    listing = kcheck("rules").stdout
    assert "KS101  missing-get-config" in listing
    page = kcheck("rule", "ks401").stdout
    assert "build" in page and "KS401" in page
    unknown = kcheck("rule", "KS999")
    assert unknown.returncode == 2 and "no rule" in unknown.stderr


def test_keras_2_mode_flags_any_parameter(tmp_path):
    path = write(tmp_path, "scale.py", CLEAN)
    assert kcheck(str(path)).returncode == 0
    result = kcheck("--keras-version", "2", str(path))
    assert "KS101" in result.stdout and "Keras 2" in result.stdout


def test_parallel_run_matches_serial_run(tmp_path):
    for index in range(12):
        write(tmp_path, f"m{index}.py", GATE if index % 2 else CLEAN)
    serial = kcheck("-j", "1", "--format", "json", str(tmp_path))
    parallel = kcheck("-j", "2", "--format", "json", str(tmp_path))
    assert json.loads(serial.stdout) == json.loads(parallel.stdout)
    assert len(json.loads(serial.stdout)) == 6


def test_source_files_are_never_changed(tmp_path):
    path = write(tmp_path, "gate.py", GATE)
    before = path.read_bytes(), path.stat().st_mtime_ns
    kcheck(str(path))
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_keras_3_only_rules_are_silent_in_keras_2_mode(tmp_path):
    path = write(tmp_path, "k3.py", textwrap.dedent('''
        import keras

        @keras.saving.register_keras_serializable(package="t")
        class Masked(keras.layers.Layer):
            def build(self, input_shape, mask_shape=None):
                pass

            def call(self, x, mask=None):
                return x

        lam = keras.layers.Lambda(lambda t: t)
    '''))
    keras3 = kcheck("--no-cache", "--select", "KS403,KS602", str(path)).stdout
    assert "KS403" in keras3 and "KS602" in keras3
    keras2 = kcheck("--no-cache", "--keras-version", "2", "--select", "KS403,KS602", str(path))
    assert (keras2.returncode, keras2.stdout) == (0, "")
