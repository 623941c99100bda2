"""The cheap pass (kcheck.facts.relevance): libcst sees only the code rules read, and the
findings, their positions and their fixes are exactly those of a whole parse."""

from __future__ import annotations

import ast
import dataclasses
import textwrap
from pathlib import Path

import libcst as cst
import pytest

from kcheck.engine import Options, check_paths
from kcheck.engine.checker import check_source
from kcheck.facts.outline import scan_module
from kcheck.facts.project import Project
from kcheck.facts.relevance import reduced_source
from kcheck.rules import ALL_RULES

ROOT = Path(__file__).resolve().parents[1]

MODULE = textwrap.dedent('''\
    import keras
    import numpy as np
    from keras import layers


    def plot_history(history):  # nothing a rule reads: hollowed
        import matplotlib.pyplot as plt
        plt.plot(history.history["loss"])
        plt.show()


    def train(model):  # saves: kept
        model.fit(np.zeros((2, 3)), np.zeros((2,)))
        model.save("model.h5")


    class Scale(layers.Layer):  # a Keras class: kept whole
        def __init__(self, factor, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def helper(self):
            return np.ones(3)

        def call(self, x):
            return x * self.factor


    class DataTest:  # not Keras: only the methods that matter are kept
        def setUp(self):
            self.data = np.arange(10)

        def test_build(self):
            layer = Scale(2.0)  # a constructor call of the module's Keras class
            return layer


    def one_liner(): return 1


    class Normalizer:  # a plain helper class of the module
        def __init__(self, mean):
            self.mean = mean


    def make_normalizer():  # constructs only a class no rule checks: hollowed
        return Normalizer(np.mean([1.0, 2.0]))
''')


def _reduce(text: str, path: Path) -> str | None:
    syntax = ast.parse(text)
    return reduced_source(text, syntax, scan_module(syntax), path, Project())


def _checked_both_ways(path: Path) -> list:
    """The reports of *path* checked with the cheap pass and with --full-parse, in that order."""
    return [check_source(path, path.read_text(), Options(full_parse=full))
            for full in (False, True)]


def test_reduced_source_hollows_only_what_no_rule_reads(tmp_path):
    path = tmp_path / "train.py"
    reduced = _reduce(MODULE, path)
    assert reduced is not None
    original, kept = MODULE.splitlines(), reduced.splitlines()
    assert len(kept) == len(original)  # every line keeps its number
    for changed, line in zip(kept, original):
        if changed != line and changed.strip() not in ("", '"""', "..."):
            # a module function's parameters blanked: the same line, spaces in their place
            assert len(changed) == len(line) and changed.lstrip().startswith("def ")
            assert all(a == b or a == " " for a, b in zip(changed, line))
    assert "plt.show()" not in reduced and "def plot_history(       ):" in reduced
    assert 'model.save("model.h5")' in reduced and "def train(     ):" in reduced
    # a kept function loses the statements around the calls that matter, line for line
    assert "model.fit(" not in reduced and "\n    ...\n    model.save(" in reduced
    assert "def helper(self):\n        return np.ones(3)" in reduced  # inside the Keras class
    # a class Keras never saves keeps its name and bases; methods nothing reads go entirely
    assert "class DataTest:" in reduced and "def setUp(self):" not in reduced
    assert "layer = Scale(2.0)" in reduced
    assert "def one_liner(): return 1" in reduced
    assert "def make_normalizer():" in reduced and "Normalizer(np.mean" not in reduced
    compile(reduced, str(path), "exec")


def test_decorated_definitions_inside_bodies_go_with_their_decorators(tmp_path):
    text = textwrap.dedent('''\
        import keras


        def plot():
            @decorate
            def inner():
                return 1
            return inner


        def train(model):
            @decorate(
                "x")
            def step(x):
                return x
            model.save("m.keras")
        ''')
    reduced = _reduce(text, tmp_path / "m.py")
    assert "@decorate" not in reduced and 'model.save("m.keras")' in reduced
    assert len(reduced.splitlines()) == len(text.splitlines())
    compile(reduced, "m.py", "exec")


def test_module_function_parameters_are_blanked_in_place(tmp_path):
    text = textwrap.dedent('''\
        import keras


        @keras.saving.register_keras_serializable()
        def builder(
            depth=12,  # (a comment with a parenthesis)
            width=(3, 4),
            *args,
            name: str = "x",
            **kwargs,
        ) -> keras.Model:
            return keras.Sequential()


        async def fetch(a, b=[1, 2]): return a


        def positional(a, /):
            return a


        def wrapped(a=(
            1 + 2
        )):
            return a


        def loads(path=keras.models.load_model("m.h5")):
            return path


        class Scale(keras.layers.Layer):
            def __init__(self, factor, **kwargs):
                super().__init__(**kwargs)
        ''')
    reduced = _reduce(text, tmp_path / "m.py")
    assert len(reduced.splitlines()) == len(text.splitlines())
    assert all(len(a) == len(b) for a, b in zip(reduced.splitlines(), text.splitlines())
               if a.strip() not in ("", '"""', "..."))
    assert "def builder(\n" in reduced and "depth=12" not in reduced
    assert "\n) -> keras.Model:\n" in reduced and "@keras.saving.register" in reduced
    assert "async def fetch(a, b=[1, 2]): return a" in reduced  # the body shares the line
    assert "def positional(a, /):" in reduced  # unusual: left as it is
    assert "def wrapped(a=(\n    1 + 2\n)):" in reduced  # the default's ``)`` comes first
    assert 'def loads(path=keras.models.load_model("m.h5")):' in reduced  # a call that matters
    assert "def __init__(self, factor, **kwargs):" in reduced  # a Keras class's method
    compile(reduced, "m.py", "exec")
    libcst_tree = cst.parse_module(reduced)
    assert [s.name.value for s in libcst_tree.body if isinstance(s, cst.FunctionDef)] == [
        "builder", "fetch", "positional", "wrapped", "loads"]


def test_a_module_nothing_in_which_matters_is_not_parsed(tmp_path):
    assert _reduce("import keras\nx = keras.ops.ones(3)\n", tmp_path / "m.py") == ""
    for source in ('import keras\nkeras.Sequential().save("m.h5")\n',
                   "import keras\nclass L(keras.layers.Layer):\n    pass\n",
                   "import keras\nkeras.saving.get_custom_objects()['f'] = print\n"):
        assert _reduce(source, tmp_path / "m.py") != "", source


REGISTER = "@keras.saving.register_keras_serializable"


@pytest.mark.parametrize("body, parsed", [
    # one registration: no rule can report anything (KS303 needs two under one name)
    (f"{REGISTER}()\ndef loss(y, p):\n    return y\n", False),
    # distinct names, package= only: a model zoo's registrations
    (f"{REGISTER}(package='p')\ndef a(x):\n    return x\n\n\n"
     f"{REGISTER}(package='p')\ndef b(x):\n    return x\n", False),
    # one explicit name= given to both
    (f"{REGISTER}(name='act')\ndef a(x):\n    return x\n\n\n"
     f"{REGISTER}(name='act')\ndef b(x):\n    return x\n", True),
    # positional package and name, and a name= that is another definition's own name
    (f"{REGISTER}('p', 'b')\ndef a(x):\n    return x\n\n\n"
     f"{REGISTER}(package='p')\ndef b(x):\n    return x\n", True),
    # implicitly concatenated: libcst does not read it as a plain string, CPython does
    (f"{REGISTER}(name='a' 'ct')\ndef a(x):\n    return x\n\n\n"
     f"{REGISTER}(name='act')\ndef b(x):\n    return x\n", True),
    # unpacked arguments could say anything
    (f"{REGISTER}(**NAMES)\ndef a(x):\n    return x\n\n\n"
     f"{REGISTER}()\ndef b(x):\n    return x\n", True),
    # a name defined twice
    (f"{REGISTER}()\ndef a(x):\n    return x\n\n\n{REGISTER}()\ndef a(x):\n    return -x\n",
     True),
])
def test_registrations_are_parsed_only_when_two_may_share_a_name(tmp_path, body, parsed):
    path = tmp_path / "m.py"
    path.write_text("import keras\n\nNAMES = {}\n\n\n" + body)
    assert (_reduce(path.read_text(), path) != "") is parsed
    reports = _checked_both_ways(path)
    assert reports[0].violations == reports[1].violations


def test_a_model_zoo_module_with_registered_blocks_is_not_parsed(tmp_path):
    """Classes that are not Keras classes to kcheck (here their base comes from another
    library), each registered under its own name and constructed by the module's builder
    functions: nothing a rule can report, so libcst is spared the module."""
    path = tmp_path / "blocks.py"
    path.write_text(textwrap.dedent('''\
        import keras
        from otherlib import layers


        @keras.saving.register_keras_serializable(package="zoo")
        class Gate(layers.Layer):
            def call(self, x):
                return x


        @keras.saving.register_keras_serializable(package="zoo")
        class Mix(layers.Layer):
            def call(self, x):
                return x


        def block(inputs, name=""):
            x = Gate(name=name + "gate")(inputs)
            return Mix(name=name + "mix")(x)
        '''))
    assert _reduce(path.read_text(), path) == ""
    reports = _checked_both_ways(path)
    assert reports[0].violations == reports[1].violations == []


def test_nothing_to_hollow_gives_none(tmp_path):
    source = "import keras\nclass L(keras.layers.Layer):\n    def call(self, x):\n" \
             "        return x\n"
    assert _reduce(source, tmp_path / "m.py") is None


def test_registration_helpers_stay_whole(tmp_path):
    text = textwrap.dedent('''\
        import keras

        def _really_register(cls):
            return keras.saving.register_keras_serializable(package="p")(cls)

        def register(cls):
            x = 1
            return _really_register(cls)

        @register
        class Block(keras.layers.Layer):
            pass
        ''')
    reduced = _reduce(text, tmp_path / "m.py")
    assert reduced is None or "return _really_register(cls)" in reduced


def _findings(paths, **options):
    reports = check_paths(paths, Options(**options), jobs=1)
    return [dataclasses.asdict(v) for report in reports for v in report.violations]


def _corpus_files() -> list[Path]:
    files = sorted([*ROOT.joinpath("corpus").rglob("*.py"),
                    *ROOT.joinpath("benchmarks", "realcode").rglob("*.py")])
    assert len(files) > 50
    return files


@pytest.mark.parametrize("fix_edits", [True, False])
def test_corpus_findings_equal_a_whole_parse(fix_edits):
    files = _corpus_files()
    partial = _findings(files, fix_edits=fix_edits)
    whole = _findings(files, fix_edits=fix_edits, full_parse=True)
    assert partial == whole
    assert len(partial) > 50


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda rule: rule.code)
def test_rule_examples_equal_a_whole_parse(tmp_path, rule):
    for index, source in enumerate([*rule.INVALID, *rule.VALID]):
        source = source if isinstance(source, str) else source[0]
        path = tmp_path / f"example_{index}.py"
        path.write_text(textwrap.dedent(source))
        reports = _checked_both_ways(path)
        assert reports[0].violations == reports[1].violations, source


def test_imports_inside_hollowed_functions_still_name_things(tmp_path):
    """kcheck's import table takes function-level imports too (the last binding wins); a
    hollowed body's imports must count as they do in a whole parse."""
    path = tmp_path / "layers.py"
    path.write_text(textwrap.dedent('''\
        import numpy as keras


        def plot():
            import keras
            print(keras.__version__)


        class Scale(keras.layers.Layer):
            def __init__(self, factor, **kwargs):
                super().__init__(**kwargs)
                self.factor = factor
        '''))
    assert "print(keras" not in _reduce(path.read_text(), path)
    reports = _checked_both_ways(path)
    assert reports[1].violations  # Scale is a Keras layer: the import in plot() says so
    assert reports[0].violations == reports[1].violations


def test_a_fix_quotes_as_the_whole_text_does(tmp_path):
    """A fix writes the quote most of the module's literals use, counted in the text: the
    hollowed helper's single-quoted strings count as in a whole parse."""
    path = tmp_path / "layers.py"
    path.write_text(textwrap.dedent('''\
        import keras


        def helper():
            return ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']


        class Scale(keras.layers.Layer):
            def __init__(self, factor, name="scale", **kwargs):
                super().__init__(name=name, **kwargs)
                self.factor = factor
        '''))
    assert "'a'" not in _reduce(path.read_text(), path)
    reports = _checked_both_ways(path)
    assert reports[0].violations == reports[1].violations
    assert any("package='layers'" in (v.fix or {}).get("message", "")
               for v in reports[0].violations)


def test_referenced_module_is_read_as_an_outline_until_its_code_is_needed(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "base.py").write_text(textwrap.dedent('''\
        import keras

        def helper():
            return 1

        class Base(keras.layers.Layer):
            def get_config(self):
                return {}
        '''))
    (package / "user.py").write_text(textwrap.dedent('''\
        from pkg.base import Base, helper

        class Block(Base):
            pass

        helper()
        '''))
    project = Project()
    user = package / "user.py"
    tree = cst.parse_module(user.read_text())
    info = project.begin_check(user, tree)
    assert project.resolve(info, "helper").kind == "function"
    assert project.module(package / "base.py").outline  # a name lookup reads an outline
    [block] = project.keras_classes(info)
    base = block.ancestors[0]
    assert not base.module.outline and base.facts.method("get_config") is not None
    assert project.module(package / "base.py") is base.module  # parsed whole, once
    assert project.resolve(info, "Base").cls is base.facts  # the cached answer follows
    project.end_check(user)
    assert project.module(user) is None or project.module(user).outline


def test_full_parse_option_reaches_the_cli(tmp_path, capsys):
    from kcheck.cli import main
    path = tmp_path / "m.py"
    path.write_text(MODULE)
    outputs = []
    for extra in ([], ["--full-parse"]):
        main(["--no-cache", "--format", "json", *extra, str(path)])
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and '"KS301"' in outputs[0]


def test_json_after_a_cached_text_run_still_has_fix_edits(tmp_path, capsys):
    from kcheck.cli import main
    path = tmp_path / "m.py"
    path.write_text(MODULE)
    cache = tmp_path / "cache"
    main(["--cache-dir", str(cache), "--format", "text", str(path)])
    capsys.readouterr()
    main(["--cache-dir", str(cache), "--format", "json", str(path)])
    import json
    findings = json.loads(capsys.readouterr().out)
    assert findings and all("edits" in f["fix"] for f in findings if f["fix"])


def test_a_fix_rebuilding_only_its_statements_gives_the_whole_visits_module():
    from kcheck.engine.checker import _check_source
    from kcheck.fixes.edits import _Rewriter, add_imports, apply_fixes
    compared = 0
    for path in _corpus_files():
        pairs: list = []
        _check_source(path, path.read_text(), Options(), Project(), fixes=pairs)
        for _violation, fix, tree, _positions in pairs:
            rewrites: dict = {}
            for edit in fix.edits:
                rewrites.setdefault(id(edit.target), []).append(edit.rewrite)
            whole = tree.visit(_Rewriter(rewrites))
            if fix.imports:
                whole = add_imports(whole, list(fix.imports))
            assert apply_fixes(tree, [fix]).code == whole.code, (path, fix.message)
            compared += 1
    assert compared > 30


def test_a_callee_called_often_is_judged_by_each_calls_arguments(tmp_path):
    """A Keras constructor's verdict is worked out once per module, its arguments per call:
    only the call given a function in a slot Keras saves keeps its helper."""
    text = textwrap.dedent('''\
        from keras import layers


        def gelu(x):
            return x


        def plain():
            return layers.Dense(3, name="a")


        def with_function():
            return layers.Dense(3, activation=gelu)


        def plain_again():
            return layers.Dense(4)
        ''')
    reduced = _reduce(text, tmp_path / "m.py")
    assert "layers.Dense(3, activation=gelu)" in reduced
    assert 'layers.Dense(3, name="a")' not in reduced and "layers.Dense(4)" not in reduced
