"""The Keras release kcheck checks for: parsing, rule ranges, config, command line, flake8."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kcheck.config as config_module
from kcheck.config import Config, ConfigError, load_config
from kcheck.engine import Options, check_source
from kcheck.facts.keras_release import parse_keras_version, version_before
from kcheck.rules.base import Rule
from kcheck.rules.ks405_build_leaves_children_unbuilt import BuildLeavesChildrenUnbuilt

# KS405 (a Model subclass) and KS603 (a checkpoint path): both Keras 3 only.
PROGRAM = textwrap.dedent('''\
    import keras


    @keras.saving.register_keras_serializable(package="t")
    class Scorer(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.head = keras.layers.Dense(4)

        def build(self, input_shape):
            self.scale = self.add_weight(shape=(4,), initializer="ones")

        def call(self, x):
            return self.head(x) * self.scale


    checkpoint = keras.callbacks.ModelCheckpoint("ckpt/model_{epoch}")
''')


@pytest.mark.parametrize(("text", "expected"), [
    ("3", (3,)), ("3.3", (3, 3)), ("3.10", (3, 10)), ("3.3.1", (3, 3, 1)),
    ("3.4.0rc1", (3, 4, 0)), ("2.15.0", (2, 15, 0)), (" 3.1 ", (3, 1)), ("3.1.1+cpu", (3, 1, 1)),
])
def test_parse_keras_version(text, expected):
    assert parse_keras_version(text) == expected


@pytest.mark.parametrize("text", ["", "three", "3.x", "4", "1.2", "3.1.2.3", "3..1", "v3"])
def test_parse_keras_version_rejects(text):
    with pytest.raises(ValueError):
        parse_keras_version(text)


def test_version_before_reads_a_missing_part_as_the_newest_release():
    assert version_before((3, 3), (3, 4))
    assert not version_before((3, 4), (3, 4))
    assert not version_before((3,), (3, 4))  # "Keras 3" is the newest Keras 3
    assert version_before((2,), (3, 0))
    assert version_before((3, 3, 9), (3, 4))
    assert not version_before((3, 10), (3, 4))


class _Bounded(Rule):
    KERAS_VERSIONS = frozenset({3})
    KERAS_RANGE = ("3.1", "3.4")


@pytest.mark.parametrize(("target", "applies"), [
    ((3, 0), False), ((3, 1), True), ((3, 3, 3), True), ((3, 4), False), ((3, 15, 1), False),
    ((3,), False), ((2, 15), False), ((), False),
])
def test_a_rule_applies_only_inside_its_range(target, applies):
    assert _Bounded.applies_to(target) is applies


def test_a_rule_without_a_range_applies_to_every_release_of_its_majors():
    assert BuildLeavesChildrenUnbuilt.applies_to((3,))
    assert BuildLeavesChildrenUnbuilt.applies_to((3, 0, 0))
    assert not BuildLeavesChildrenUnbuilt.applies_to((2, 15))


def _codes(options: Options) -> list[str]:
    return [v.code for v in check_source(Path("scorer.py"), PROGRAM, options).violations]


def test_the_engine_runs_a_bounded_rule_only_for_targets_inside_its_range(monkeypatch):
    monkeypatch.setattr(BuildLeavesChildrenUnbuilt, "KERAS_RANGE", ("3.0", "3.4"))
    assert "KS405" in _codes(Options(keras_version=3, keras_target=(3, 3)))
    assert "KS405" not in _codes(Options(keras_version=3, keras_target=(3, 15)))
    assert "KS405" not in _codes(Options(keras_version=3))  # newest Keras 3
    assert _codes(Options(keras_version=2, keras_target=(2, 15))) == []


def _pyproject(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "pyproject.toml"
    path.write_text("[tool.kcheck]\n" + body)
    return path


def test_target_keras_setting(tmp_path):
    config = load_config(_pyproject(tmp_path, 'target-keras = "3.3"\n'))
    assert config.target_keras == (3, 3)
    options = config.engine_options()
    assert (options.keras_version, options.target) == (3, (3, 3))


@pytest.mark.parametrize(("body", "message"), [
    ("target-keras = 3.3\n", 'write the version as a string, e.g. "3.3"'),
    ('target-keras = "4.0"\n', "must be 2 or 3"),
    ('target-keras = "latest"\n', "expected a Keras version"),
    ('target-keras = ["3.3"]\n', "expected a Keras version string"),
    ('target-keras = "3.3"\nkeras-version = 2\n', "3.3 is not Keras 2"),
])
def test_bad_target_keras_setting(tmp_path, body, message):
    with pytest.raises(ConfigError, match="target-keras") as error:
        load_config(_pyproject(tmp_path, body))
    assert message in str(error.value)


def test_an_integer_target_is_a_major_version(tmp_path):
    assert load_config(_pyproject(tmp_path, "target-keras = 2\n")).target_keras == (2,)


def test_installed_keras_is_the_default_target(monkeypatch):
    monkeypatch.setattr(config_module, "installed_keras_version", lambda: (3, 2, 1))
    assert Config().engine_options().target == (3, 2, 1)
    assert Config(keras_version=2).engine_options().target == (2,)
    assert Config(target_keras=(3, 9)).engine_options().target == (3, 9)
    monkeypatch.setattr(config_module, "installed_keras_version", lambda: None)
    assert Config().engine_options().target == (3,)
    monkeypatch.setattr(config_module, "installed_keras_version", lambda: (2, 15, 0))
    assert Config().engine_options().keras_version == 2


def test_installed_keras_version_reads_the_distribution():
    from importlib import metadata

    config_module.installed_keras_version.cache_clear()
    try:
        expected = parse_keras_version(metadata.version("keras"))
    except metadata.PackageNotFoundError:
        expected = None
    assert config_module.installed_keras_version() == expected


def test_command_line_flags_replace_both_file_keys():
    config = Config(keras_version=3, target_keras=(3, 3))
    assert config.with_keras_flags(2, None).engine_options().target == (2,)
    assert config.with_keras_flags(None, (3, 9)).engine_options().target == (3, 9)
    assert config.with_keras_flags(None, None) is config
    with pytest.raises(ConfigError, match="is not Keras 2"):
        config.with_keras_flags(2, (3, 3))


def _kcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kcheck", "--no-cache", "--format", "json",
                           *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_command_line_target(tmp_path):
    (tmp_path / "scorer.py").write_text(PROGRAM)
    newest = _kcheck("--target-keras", "3.15", "scorer.py", cwd=tmp_path)
    assert sorted(i["code"] for i in json.loads(newest.stdout)) == ["KS405", "KS603"]
    legacy = _kcheck("--target-keras", "2.15", "scorer.py", cwd=tmp_path)
    assert json.loads(legacy.stdout) == []
    bad = _kcheck("--target-keras", "3.3", "--keras-version", "2", "scorer.py", cwd=tmp_path)
    assert bad.returncode == 2 and "is not Keras 2" in bad.stderr
    unparsable = _kcheck("--target-keras", "three", "scorer.py", cwd=tmp_path)
    assert unparsable.returncode == 2 and "expected a Keras version" in unparsable.stderr


def test_pyproject_target_and_the_flag_over_it(tmp_path):
    (tmp_path / "scorer.py").write_text(PROGRAM)
    _pyproject(tmp_path, 'target-keras = "2.15"\n')
    assert json.loads(_kcheck("scorer.py", cwd=tmp_path).stdout) == []
    flagged = _kcheck("--target-keras", "3.3", "scorer.py", cwd=tmp_path)
    assert len(json.loads(flagged.stdout)) == 2
    major = _kcheck("--keras-version", "3", "scorer.py", cwd=tmp_path)
    assert len(json.loads(major.stdout)) == 2


def test_flake8_target_option(tmp_path):
    pytest.importorskip("flake8")
    (tmp_path / "scorer.py").write_text(PROGRAM)
    _pyproject(tmp_path, 'target-keras = "2.15"\n')

    def flake8(*args: str) -> list[str]:
        result = subprocess.run([sys.executable, "-m", "flake8", "--select", "KS", *args,
                                 "scorer.py"], capture_output=True, text=True, cwd=tmp_path,
                                timeout=120)
        assert result.returncode in (0, 1), result.stderr
        return sorted(line.split(":", 3)[3].split()[0] for line in result.stdout.splitlines())

    assert flake8() == []
    assert flake8("--kcheck-target-keras=3.3") == ["KS405", "KS603"]


def test_ks405_message_follows_the_targeted_release():
    def message(target: tuple[int, ...]) -> str:
        report = check_source(Path("scorer.py"), PROGRAM,
                              Options(keras_version=3, keras_target=target))
        return next(v.message for v in report.violations if v.code == "KS405")

    assert "was never built" in message((3, 0, 1))
    assert "silently" in message((3, 0, 2))
    assert "silently" in message((3,))


@pytest.mark.parametrize("layout", [
    {"keras-3.4.1.dist-info/METADATA": "Metadata-Version: 2.1\nName: keras\nVersion: 3.4.1\n"},
    {"Keras-2.3.1-py3.7.egg-info": "Metadata-Version: 1.1\nName: Keras\nVersion: 2.3.1\n"},
    {"keras.egg-info/PKG-INFO": "Metadata-Version: 2.1\nName: keras\nVersion: 3.1.0.dev0\n"},
    {"keras_hub-0.20.0.dist-info/METADATA": "Name: keras-hub\nVersion: 0.20.0\n"},
    {},
])
def test_the_installed_keras_version_is_found_as_importlib_metadata_finds_it(
        tmp_path, monkeypatch, layout):
    from importlib import metadata

    for name, text in layout.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(sys, "path", [str(tmp_path), str(tmp_path / "absent")])
    try:
        expected = metadata.version("keras")
    except metadata.PackageNotFoundError:
        expected = None
    assert config_module._keras_distribution_version() == expected
