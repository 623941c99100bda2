"""``kcheck --fix``: the command's interface, the guarantees (never worse than before) and the
property that fixing never turns valid Python into invalid Python."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from kcheck.engine import Options
from kcheck.engine.fixing import FixPolicy, fix_text
from kcheck.engine.selection import Selection
from kcheck.fixes import SAFE, Edit, Fix

SAFE_ONLY = textwrap.dedent('''\
    import keras


    class Strict(keras.layers.Layer):
        def __init__(self, factor=1.0):
            super().__init__()
            self.factor = factor


    class Twice(keras.layers.Layer):
        def call(self, x):
            return x * 2.0

        def from_config(cls, config):
            return cls(**config)
    ''')
# KS101 (unsafe fix) and KS301 (safe fix) on one class
GATE = textwrap.dedent('''\
    import keras


    class Gate(keras.layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, x):
            return self.inner(x)
    ''')


def kcheck(*args: str, cwd: Path | None = None, stdin: str | bytes | None = None):
    return subprocess.run([sys.executable, "-m", "kcheck", "--no-cache", *args],
                          capture_output=True, text=not isinstance(stdin, bytes), cwd=cwd,
                          input=stdin, timeout=180)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


# -- the interface ---------------------------------------------------------------------------

def test_check_marks_fixable_findings_and_counts_them(tmp_path):
    path = write(tmp_path, "gate.py", GATE)
    result = kcheck(str(path))
    assert result.returncode == 1
    assert "KS301 [*] Gate is never registered" in result.stdout
    assert "KS101 Gate has no get_config()" in result.stdout  # unsafe: no mark
    assert ("[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the "
            "`--unsafe-fixes` option).") in result.stdout
    unsafe = kcheck("--unsafe-fixes", str(path))
    assert "KS101 [*]" in unsafe.stdout
    assert "[*] 2 fixable with the `--fix` option." in unsafe.stdout


def test_fix_applies_safe_fixes_and_reports_what_is_left(tmp_path):
    path = write(tmp_path, "gate.py", GATE)
    result = kcheck("--fix", str(path))
    assert result.returncode == 1, result.stdout + result.stderr
    text = path.read_text()
    assert '@keras.saving.register_keras_serializable(package="gate")\nclass Gate' in text
    assert "def get_config" not in text
    assert "KS101" in result.stdout and "KS301" not in result.stdout
    assert "Found 2 findings (1 fixed, 1 remaining)." in result.stdout
    assert "1 hidden fix can be enabled with the `--unsafe-fixes` option" in result.stdout


def test_unsafe_fixes_and_show_fixes(tmp_path):
    path = write(tmp_path, "gate.py", GATE)
    result = kcheck("--fix", "--unsafe-fixes", "--show-fixes", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "def get_config(self):" in path.read_text()
    assert f"{path}:4:7: KS301 fixed - register the class" in result.stdout
    assert f"{path}:4:7: KS101 fixed - define get_config() and from_config()" in result.stdout
    assert "Found 2 findings (2 fixed, 0 remaining)." in result.stdout
    again = kcheck("--fix", "--unsafe-fixes", str(path))
    assert again.returncode == 0 and "KS" not in again.stdout


def test_diff_prints_the_change_and_writes_nothing(tmp_path):
    path = write(tmp_path, "strict.py", SAFE_ONLY)
    result = kcheck("--diff", str(path))
    assert result.returncode == 1
    assert path.read_text() == SAFE_ONLY
    assert f"--- {path}\n+++ {path}\n" in result.stdout
    assert "+    def __init__(self, factor=1.0, **kwargs):" in result.stdout
    assert "+    @classmethod" in result.stdout
    assert "Would fix 4 findings." in result.stderr
    kcheck("--fix", str(path))
    clean = kcheck("--diff", str(path))
    assert clean.returncode == 0 and clean.stdout == ""


def test_fix_stdin_writes_the_fixed_source(tmp_path):
    result = kcheck("--fix", "-", "--stdin-filename", str(tmp_path / "mypkg_layers.py"),
                    stdin=SAFE_ONLY)
    assert result.returncode == 0, result.stderr
    assert "def __init__(self, factor=1.0, **kwargs):" in result.stdout
    assert "@keras.saving.register_keras_serializable(package=\"mypkg_layers\")" in \
        result.stdout
    unfixable = kcheck("--fix", "-", stdin=GATE)
    assert unfixable.returncode == 1
    assert unfixable.stdout.startswith("import keras")
    assert "KS101" in unfixable.stderr


def test_json_has_the_fix_object(tmp_path):
    path = write(tmp_path, "strict.py", SAFE_ONLY)
    data = json.loads(kcheck("--format", "json", str(path)).stdout)
    fixes = {item["code"]: item["fix"] for item in data}
    assert fixes["KS104"]["applicability"] == "safe"
    edits = fixes["KS104"]["edits"]
    assert edits[0]["location"]["row"] == 5
    assert "**kwargs" in edits[0]["content"]


def test_config_keys_choose_the_fixes(tmp_path):
    write(tmp_path, "pyproject.toml", textwrap.dedent('''\
        [tool.kcheck]
        unfixable = ["KS104"]
        unsafe-fixes = true
        registration-package = "mypkg"
        '''))
    path = write(tmp_path, "strict.py", SAFE_ONLY)
    gate = write(tmp_path, "gate.py", GATE)
    kcheck("--fix", str(tmp_path))
    text = path.read_text()
    assert "**kwargs" not in text and "@classmethod" in text
    assert '(package="mypkg")' in text
    assert "def get_config" in gate.read_text()  # unsafe-fixes = true
    narrow = write(tmp_path / "other", "strict.py", SAFE_ONLY)
    kcheck("--fix", "--isolated", "--fixable", "KS3", str(narrow))
    assert "register_keras_serializable" in narrow.read_text()
    assert "**kwargs" not in narrow.read_text()


def test_bad_fix_config_is_an_error(tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.kcheck]\nunsafe-fixes = "yes"\n')
    path = write(tmp_path, "strict.py", SAFE_ONLY)
    result = kcheck("--fix", str(path))
    assert result.returncode == 2
    assert "unsafe-fixes: expected true or false" in result.stderr


def test_registration_package_defaults_to_the_top_package(tmp_path):
    write(tmp_path, "mypkg/__init__.py", "")
    path = write(tmp_path, "mypkg/layers/gate.py", GATE)
    write(tmp_path, "mypkg/layers/__init__.py", "")
    kcheck("--fix", str(path))
    assert '(package="mypkg")' in path.read_text()


# -- never worse than before -----------------------------------------------------------------

def test_encoding_newlines_and_permissions_are_kept(tmp_path):
    source = "# -*- coding: latin-1 -*-\n" + SAFE_ONLY.replace("import keras",
                                                              "import keras  # café")
    path = tmp_path / "latin.py"
    path.write_bytes(source.replace("\n", "\r\n").encode("latin-1"))
    os.chmod(path, 0o754)
    assert kcheck("--fix", str(path)).returncode == 0
    data = path.read_bytes()
    assert "café".encode("latin-1") in data
    assert b"**kwargs" in data
    assert data.count(b"\r\n") == data.count(b"\n")  # every line kept CRLF, new ones too
    assert stat.S_IMODE(path.stat().st_mode) == 0o754
    assert not [p for p in tmp_path.iterdir() if p.name != "latin.py"], "no temporary left"


def test_bom_is_kept(tmp_path):
    path = tmp_path / "bom.py"
    path.write_bytes(b"\xef\xbb\xbf" + SAFE_ONLY.encode())
    kcheck("--fix", str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"**kwargs" in data


def test_a_fix_that_breaks_the_module_is_not_written(tmp_path, monkeypatch):
    import kcheck.rules.ks103_get_config_drops_base_config as ks103

    def broken(cls):
        # libcst prints it, but compile() refuses it: 'return' outside function
        statement = cst.parse_statement("return 1\n")
        return Fix(SAFE, "break it", (Edit(cls.facts.node, lambda n: statement),))

    monkeypatch.setattr(ks103, "merge_base_config", broken)
    source = textwrap.dedent('''\
        import keras


        class Scale(keras.layers.Layer):
            def __init__(self, factor=1.0, **kwargs):
                super().__init__(**kwargs)
                self.factor = factor

            def get_config(self):
                return {"factor": self.factor}
        ''')
    path = write(tmp_path, "scale.py", source)
    result = fix_text(path, source, Options(selection=Selection(select=("KS103",))),
                      FixPolicy())
    assert result.fixed == source and not result.applied
    assert result.failed and "does not compile" in result.failed[0].detail
    assert [v.code for v in result.report.violations] == ["KS103"]


def test_fixes_touching_the_same_lines_go_in_separate_passes(tmp_path):
    source = textwrap.dedent('''\
        import keras


        class Affine(keras.layers.Layer):
            def __init__(self, scale=1.0, shift=0.0, bias=0.0, **kwargs):
                super().__init__(**kwargs)
                self.scale, self.shift, self.bias = scale, shift, bias

            def get_config(self):
                return {**super().get_config(), "scale": self.scale}
        ''')
    path = write(tmp_path, "affine.py", source)
    result = fix_text(path, source, Options(selection=Selection(select=("KS102",))),
                      FixPolicy())
    assert [fix.code for fix in result.applied] == ["KS102", "KS102"]
    assert ('return {**super().get_config(), "scale": self.scale, "shift": self.shift, '
            '"bias": self.bias}') in result.fixed
    assert not result.report.violations


# -- property: fixing never produces invalid Python ------------------------------------------

hypothesis = pytest.importorskip("hypothesis")
hypothesmith = pytest.importorskip("hypothesmith")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

KERAS_HEADER = "import keras\nfrom keras import layers as L\n"
EVERY_RULE = Options(selection=Selection(select=("KS",)))
# Code with findings every fixing rule can repair, so generated programs run next to fixes.
FIXABLE_TAIL = textwrap.dedent('''

    class Gen(L.Layer):
        def __init__(self, inner, factor=1.0):
            super().__init__()
            self.inner, self.factor = inner, factor

        def build(self, input_shape, mask_shape=None):
            self.w = self.add_weight(shape=(input_shape[-1],))

        def call(self, inputs, mask=None):
            return self.inner(inputs)

        def from_config(self, config):
            return self(**config)

    model = keras.Sequential([L.Dense(1)])
    model.save("out/model")
    ''')


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar(), st.booleans())
def test_fixing_generated_programs_keeps_them_valid(tmp_path_factory, source, tail_first):
    program = KERAS_HEADER + (FIXABLE_TAIL + source if tail_first else source + FIXABLE_TAIL)
    try:
        compile(program, "<generated>", "exec")
        cst.parse_module(program)
    except (SyntaxError, ValueError, cst.ParserSyntaxError):
        return  # the concatenation itself is not a program (a dangling decorator, ...)
    path = tmp_path_factory.mktemp("gen") / "generated.py"
    result = fix_text(path, program, EVERY_RULE, FixPolicy(unsafe=True))
    cst.parse_module(result.fixed)
    compile(result.fixed, "<fixed>", "exec")
    assert not result.failed or all(f.status == "failed" for f in result.failed)


# -- --fix --verify --------------------------------------------------------------------------

def test_fix_verify_reports_each_fix(tmp_path):
    pytest.importorskip("keras")
    corpus = Path(__file__).resolve().parent.parent / "corpus"
    for name in ("ks104/no_kwargs_merges_super.py", "ks102/renamed_key.py",
                 "ks302/unregistered_loss_and_metric.py"):
        write(tmp_path, name.split("/")[1], (corpus / name).read_text())
    renamed = (tmp_path / "renamed_key.py").read_text()
    result = kcheck("--fix", "--unsafe-fixes", "--verify", str(tmp_path), cwd=tmp_path)
    out = result.stdout
    assert "KS104 fixed (verified: TypeError before, round trip clean after)" in out, out
    assert "KS102 not fixed (not applied: the fixed class still fails: ValueError: " \
           "Unrecognized keyword arguments passed to Project: {'hidden': 8})" in out, out
    assert "KS302 fixed (unverified: " in out, out
    assert (tmp_path / "renamed_key.py").read_text() == renamed
    assert "**kwargs" in (tmp_path / "no_kwargs_merges_super.py").read_text()
    assert "register_keras_serializable" in \
        (tmp_path / "unregistered_loss_and_metric.py").read_text()


def test_a_fix_builder_that_raises_costs_only_the_fix(tmp_path, monkeypatch):
    import kcheck.fixes.config_methods as config_methods

    def boom(*args):
        raise RuntimeError("odd code")

    monkeypatch.setattr(config_methods, "held_in_attribute", boom)
    source = textwrap.dedent('''\
        import keras


        class Affine(keras.layers.Layer):
            def __init__(self, scale=1.0, shift=0.0, **kwargs):
                super().__init__(**kwargs)
                self.scale, self.shift = scale, shift

            def get_config(self):
                return {**super().get_config(), "scale": self.scale}
        ''')
    path = write(tmp_path, "affine.py", source)
    from kcheck.engine import check_source
    report = check_source(path, source, Options(selection=Selection(select=("KS102",))))
    assert [(v.code, v.fix) for v in report.violations] == [("KS102", None)]


def test_without_fixes_every_finding_is_the_same_but_carries_none():
    # The flake8 plugin checks with fixes=False: the same findings and messages, no fix built,
    # and no fix builder run at all (KS101's fix judges every argument first).
    from kcheck.engine import check_source
    from kcheck.fixes import edits

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    built = []
    for path in sorted(corpus.rglob("*.py")):
        text = path.read_text()
        with_fixes = check_source(path, text, Options())
        without = check_source(path, text, Options(fixes=False))

        def strip(report):
            return [(v.line, v.column, v.code, v.message) for v in report.violations]

        assert strip(without) == strip(with_fixes), path
        assert all(v.fix is None for v in without.violations), path
        built += [v for v in with_fixes.violations if v.fix is not None]
    assert len(built) >= 20  # the corpus's fixes were built in the first run
    assert edits.building_fixes()  # and the switch is back on after each check


def test_fix_builders_do_not_run_inside_fixes_built_false():
    from kcheck.fixes import edits

    calls = []

    @edits.fix_builder
    def build():
        calls.append(1)
        return Fix(SAFE, "do it", [])

    with edits.fixes_built(False):
        assert build() is None and not edits.building_fixes()
    assert build() is not None and calls == [1]


def test_a_failed_fix_is_reported_without_show_fixes(tmp_path):
    # A finding that survives its own fix: the fix is reported as failed, and nothing loops.
    source = textwrap.dedent('''\
        import keras


        class Scale(keras.layers.Layer):
            def __init__(self, factor=1.0, **kwargs):
                super().__init__(**kwargs)
                self.factor = factor

            def get_config(self):
                return {"factor": self.factor}
        ''')
    path = write(tmp_path, "scale.py", source)
    plugin = write(tmp_path, "sitecustomize_fix.py", textwrap.dedent('''\
        import sys
        import kcheck.rules.ks103_get_config_drops_base_config as ks103
        from kcheck.fixes import SAFE, Edit, Fix

        def same(cls):
            node = cls.facts.method("get_config").node
            return Fix(SAFE, "add a comment", (Edit(node, lambda n: n.with_changes(
                leading_lines=[*n.leading_lines, __import__("libcst").EmptyLine(
                    comment=__import__("libcst").Comment("# touched"))])),))

        ks103.merge_base_config = same
        from kcheck.cli import main
        sys.exit(main(sys.argv[1:]))
        '''))
    result = subprocess.run([sys.executable, str(plugin), "--no-cache", "--fix", "--select",
                             "KS103", str(path)],
                            capture_output=True, text=True, timeout=120)
    assert "KS103 not fixed (the fix failed: the finding remained after the fix)" in \
        result.stdout, result.stdout + result.stderr
    assert "Found 1 finding (0 fixed, 1 remaining)." in result.stdout
    assert path.read_text() == source, "a fix that does not remove its finding is not kept"
