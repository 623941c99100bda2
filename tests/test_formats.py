"""Output formats, statistics, source display and colour, through the real kcheck command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kcheck.formats.github import escape_data, escape_property
from kcheck.rules import ALL_RULES

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path(__file__).with_name("sarif-schema-2.1.0.json")
# KS101 and KS301 on one class.
GATE = textwrap.dedent('''
    import keras

    class Gate(keras.layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, x):
            return self.inner(x)
''')


def kcheck(*args: str, cwd: Path, env: dict | None = None):
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "kcheck", *args], capture_output=True,
                          text=True, cwd=cwd, env=environ, timeout=120)


@pytest.fixture
def tree(tmp_path) -> Path:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "gate.py").write_text(GATE)
    (tmp_path / "pkg" / "broken.py").write_text("import keras\ndef f(:\n")
    return tmp_path


def test_sarif_is_valid_and_fit_for_code_scanning(tree):
    jsonschema = pytest.importorskip("jsonschema")
    result = kcheck("--format", "sarif", ".", cwd=tree)
    assert result.returncode == 3, result.stderr
    log = json.loads(result.stdout)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema,
                                           format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(log), key=str)
    assert not errors, "\n".join(error.message for error in errors[:5])

    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    for rule in ALL_RULES:
        descriptor = by_id[rule.code]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["helpUri"].startswith("https://")
        assert descriptor["helpUri"].endswith(f"docs/rules/{rule.code}.md")
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tree.resolve().as_uri() + "/"
    found = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
             for r in run["results"]}
    assert found == {("KS101", "pkg/gate.py"), ("KS301", "pkg/gate.py"),
                     ("KS000", "pkg/broken.py")}
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] >= 1
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    # fixes travel as SARIF fixes (validated by the schema above)
    register = next(r for r in run["results"] if r["ruleId"] == "KS301")
    change = register["fixes"][0]["artifactChanges"][0]
    assert change["artifactLocation"]["uri"] == "pkg/gate.py"
    assert "register_keras_serializable" in change["replacements"][0]["insertedContent"]["text"]
    assert "(safe fix)" in register["fixes"][0]["description"]["text"]


def test_sarif_with_no_findings_is_still_valid(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    (tmp_path / "clean.py").write_text("x = 1\n")
    result = kcheck("--format", "sarif", ".", cwd=tmp_path)
    assert result.returncode == 0
    log = json.loads(result.stdout)
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    assert log["runs"][0]["results"] == []


def test_github_annotations(tree):
    result = kcheck("--format", "github", "pkg/gate.py", cwd=tree)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("::error file=pkg/gate.py,line=4,col=7,title=KS101::Gate ")
    assert lines[1].startswith("::error file=pkg/gate.py,line=4,col=7,title=KS301::")


def test_github_escapes_paths_and_messages(tmp_path):
    (tmp_path / "we,ird:name.py").write_text(GATE)
    result = kcheck("--format", "github", "--select", "KS301", "we,ird:name.py", cwd=tmp_path)
    assert result.stdout.startswith("::error file=we%2Cird%3Aname.py,line=4,")
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_json_format(tree):
    result = kcheck("--format", "json", "pkg/gate.py", cwd=tree)
    items = json.loads(result.stdout)
    assert [(i["code"], i["line"], i["column"], i["class"]) for i in items] == [
        ("KS101", 4, 7, "Gate"), ("KS301", 4, 7, "Gate")]


def test_statistics(tree):
    result = kcheck("--statistics", ".", cwd=tree)
    lines = result.stdout.splitlines()
    assert lines[-3:] == ["    1  KS000  file-not-checked", "    1  KS101  missing-get-config",
                          "    1  KS301  unregistered-class"]
    # Machine formats stay parseable: statistics go to standard error.
    result = kcheck("--statistics", "--format", "json", ".", cwd=tree)
    assert len(json.loads(result.stdout)) == 3
    assert "1  KS101  missing-get-config" in result.stderr


def test_show_source_puts_a_caret_under_the_column(tree):
    result = kcheck("--show-source", "--select", "KS101", "pkg/gate.py", cwd=tree)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("pkg/gate.py:4:7: KS101")
    assert lines[1] == "4 | class Gate(keras.layers.Layer):"
    assert lines[2] == "  |       ^"
    assert lines[1].index("Gate") == lines[2].index("^")


@pytest.mark.parametrize("env, args, coloured", [
    ({}, (), False),  # not a terminal
    ({"FORCE_COLOR": "1"}, (), True),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, (), False),
    ({}, ("--color", "always"), True),
    ({"FORCE_COLOR": "1"}, ("--color", "never"), False),
])
def test_colour_only_when_wanted(tree, env, args, coloured):
    result = kcheck(*args, "pkg/gate.py", cwd=tree, env=env)
    assert ("\x1b[" in result.stdout) is coloured
    plain = kcheck("--format", "json", *args, "pkg/gate.py", cwd=tree, env=env)
    assert "\x1b[" not in plain.stdout


def test_rules_and_rule_subcommands():
    listing = kcheck("rules", cwd=ROOT)
    assert listing.returncode == 0
    for rule in ALL_RULES:
        assert rule.code in listing.stdout and rule.name in listing.stdout
    for rule in ALL_RULES:
        page = ROOT / "docs" / "rules" / f"{rule.code}.md"
        result = kcheck("rule", rule.code.lower(), cwd=ROOT)
        assert result.returncode == 0
        if page.is_file():
            assert result.stdout == page.read_text(encoding="utf-8")
        else:
            assert result.stdout.startswith(f"{rule.code} {rule.name}")
    unknown = kcheck("rule", "KS999", cwd=ROOT)
    assert unknown.returncode == 2 and "no rule 'KS999'" in unknown.stderr


def test_readme_table_and_rules_index_are_up_to_date():
    result = subprocess.run([sys.executable, "-m", "kcheck.rules.docs", "--check", "--root",
                             str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, (result.stderr + "run `python -m kcheck.rules.docs` to "
                                    "regenerate README.md's rule table and docs/rules/index.md")


def test_rule_docs_generation_rewrites_only_the_block(tmp_path):
    (tmp_path / "README.md").write_text(
        "# x\n\n<!-- rules-table: generated -->\nold table\n<!-- end rules-table -->\n\nrest\n")
    stale = subprocess.run([sys.executable, "-m", "kcheck.rules.docs", "--check", "--root",
                            str(tmp_path)], capture_output=True, text=True)
    assert stale.returncode == 1 and "README.md" in stale.stderr
    subprocess.run([sys.executable, "-m", "kcheck.rules.docs", "--root", str(tmp_path)],
                   check=True, capture_output=True)
    readme = (tmp_path / "README.md").read_text()
    assert "old table" not in readme and readme.endswith("<!-- end rules-table -->\n\nrest\n")
    assert "| [KS101](docs/rules/KS101.md) |" in readme
    assert "| [KS101](KS101.md) |" in (tmp_path / "docs" / "rules" / "index.md").read_text()
