"""The pre-commit hooks for real: pre-commit builds a virtualenv from a commit of this tree.

The hook repository is a fresh git repository holding a copy of the files pip needs to install
kcheck (src/, pyproject.toml, README.md) and the real .pre-commit-hooks.yaml, so what is tested
is the working tree, committed or not. pre-commit pip-installs kcheck and libcst from PyPI into
its own environment once per test session (PRE_COMMIT_HOME is a temporary folder).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from notebooks import notebook_text

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = shutil.which("pre-commit")
pytestmark = pytest.mark.skipif(
    PRE_COMMIT is None or shutil.which("git") is None,
    reason="pre-commit or git is not installed (pip install pre-commit)")

BAD = textwrap.dedent('''
    import keras

    @keras.saving.register_keras_serializable(package="t")
    class Gate(keras.layers.Layer):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, x):
            return self.inner(x)
''')
GOOD = textwrap.dedent('''
    import keras

    @keras.saving.register_keras_serializable(package="t")
    class Scale(keras.layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor
''')


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                            check=True)
    return result.stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> tuple[Path, str]:
    """A git repository with this tree's package and hooks manifest, and its commit."""
    repo = tmp_path_factory.mktemp("kcheck-hooks")
    shutil.copytree(ROOT / "src", repo / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "kcheck under test")
    return repo, git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def make_project(folder: Path, hook_repo: tuple[Path, str], files: dict[str, str],
                 hook: str = "id: kcheck") -> Path:
    repo, rev = hook_repo
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".pre-commit-config.yaml").write_text(textwrap.dedent(f"""\
        repos:
          - repo: {repo.as_uri()}
            rev: {rev}
            hooks:
              - {hook}
        """))
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(folder, "init", "-q")
    git(folder, "add", ".")
    git(folder, "commit", "-q", "-m", "project")
    return folder


def run_hooks(project: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([PRE_COMMIT, "run", "--color", "never", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def test_manifest_is_valid():
    result = subprocess.run([PRE_COMMIT, "validate-manifest",
                             str(ROOT / ".pre-commit-hooks.yaml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hook_fails_on_a_mistake_and_names_it(tmp_path, hook_repo, pre_commit_home):
    project = make_project(tmp_path / "p", hook_repo,
                           {"pkg/bad.py": BAD, "pkg/good.py": GOOD})
    result = run_hooks(project, pre_commit_home, "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "pkg/bad.py:5:7: KS101" in output, output
    assert "good.py" not in output, output


def test_hook_passes_on_clean_files(tmp_path, hook_repo, pre_commit_home):
    project = make_project(tmp_path / "p", hook_repo, {"a.py": GOOD, "lib/b.py": GOOD})
    result = run_hooks(project, pre_commit_home, "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_many_files_in_several_folders(tmp_path, hook_repo, pre_commit_home):
    files = {f"{folder}/m{i}.py": GOOD for folder in ("a", "b/c", "d/e/f") for i in range(15)}
    files["d/e/f/zz_bad.py"] = BAD
    project = make_project(tmp_path / "p", hook_repo, files)
    result = run_hooks(project, pre_commit_home, "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "d/e/f/zz_bad.py:5:7: KS101" in output, output
    assert output.count("KS101") == 1, output


def test_hook_checks_notebooks(tmp_path, hook_repo, pre_commit_home):
    notebook = notebook_text(["import keras", BAD.split("import keras\n", 1)[1].strip()],
                             markdown_first=True)
    project = make_project(tmp_path / "p", hook_repo,
                           {"nb/tutorial.ipynb": notebook, "pkg/good.py": GOOD})
    result = run_hooks(project, pre_commit_home, "--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "nb/tutorial.ipynb:cell 3:2:7: KS101" in output, output


def test_no_files_means_nothing_checked(tmp_path, hook_repo, pre_commit_home):
    # always_run makes pre-commit call the hook although no Python file is selected: kcheck
    # must not fall back to checking "." (which would find bad.py).
    project = make_project(tmp_path / "p", hook_repo,
                           {"bad.py": BAD, "notes.txt": "hello\n"},
                           hook="{id: kcheck, always_run: true}")
    result = run_hooks(project, pre_commit_home, "--files", "notes.txt")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KS101" not in result.stdout


def test_pyproject_config_applies_to_the_hook(tmp_path, hook_repo, pre_commit_home):
    project = make_project(tmp_path / "p", hook_repo, {
        "pkg/bad.py": BAD,
        "legacy/old.py": BAD,
        "pyproject.toml": '[tool.kcheck]\nexclude = ["legacy"]\n'
                          '[tool.kcheck.per-file-ignores]\n"pkg/bad.py" = ["KS101"]\n',
    })
    result = run_hooks(project, pre_commit_home, "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr


def test_manifest_declares_both_hooks():
    yaml = pytest.importorskip("yaml")
    hooks = {hook["id"]: hook for hook in yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"kcheck", "kcheck-verify"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["types_or"] == ["python", "jupyter"]
        assert "types" not in hook
        assert "--no-default-path" in hook["entry"]
    assert "--verify" not in hooks["kcheck"]["entry"]
    assert "--verify" in hooks["kcheck-verify"]["entry"]


FIXABLE = textwrap.dedent('''
    import keras


    class Strict(keras.layers.Layer):
        def __init__(self, factor=1.0):
            super().__init__()
            self.factor = factor
''')


def test_fix_hook_fixes_the_file_and_the_second_run_passes(tmp_path, hook_repo,
                                                           pre_commit_home):
    project = make_project(tmp_path / "p", hook_repo, {"pkg/strict.py": FIXABLE},
                           hook="{id: kcheck, args: [--fix]}")
    first = run_hooks(project, pre_commit_home, "--all-files")
    assert first.returncode == 1, first.stdout + first.stderr
    assert "files were modified by this hook" in first.stdout, first.stdout
    fixed = (project / "pkg/strict.py").read_text()
    assert "def __init__(self, factor=1.0, **kwargs):" in fixed
    assert '@keras.saving.register_keras_serializable(package="strict")' in fixed
    second = run_hooks(project, pre_commit_home, "--all-files")
    assert second.returncode == 0, second.stdout + second.stderr
    assert (project / "pkg/strict.py").read_text() == fixed
