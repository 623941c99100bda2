"""Hostile files, folders and cache entries (issue 12): each costs at most its own KS000 or a
message, never the run, never a traceback."""

from __future__ import annotations

import faulthandler
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kcheck.engine import Options, check_paths, check_source
from kcheck.engine import checker as checker_module
from kcheck.engine.cache import ResultCache
from kcheck.engine.options import options_key
from kcheck.sources.notebook import read_notebook_file
from kcheck.sources.python import SourceError, read_source, source_lines

LAYER = ("import keras\n\n\nclass Gate(keras.layers.Layer):\n"
         "    def __init__(self, inner, **kwargs):\n"
         "        super().__init__(**kwargs)\n        self.inner = inner\n\n\n")
ONE_FINDING = "Gate is never registered"  # text output may mark it fixable: "KS301 [*] Gate ..."


def kcheck(*args, cwd=None, prefix=(), timeout=120):
    return subprocess.run([*prefix, sys.executable, "-m", "kcheck", "--no-cache", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=cwd)


def assert_clean_run(result):
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert len(result.stderr) < 5000


# -- 1. deep but valid expressions ------------------------------------------------------------

DEEP = {
    "sum": "x = 1" + " + 1" * 350 + "\n",
    "unary": "x = " + "-" * 350 + "1\n",
    "elif": "if a == 0:\n    pass\n" + "".join(f"elif a == {i}:\n    pass\n"
                                                for i in range(1, 501)),
    # Overflows libcst's native parser on the main thread's 8 MB stack (measured). It once came
    # back as KS000 ("too deeply nested") after other tests: the deep thread could start its
    # job before the recursion limit was raised for it; the limit is now raised first.
    "and-chain": "x = a" + " and b" * 20_000 + "\n",
}


@pytest.mark.parametrize("shape", sorted(DEEP))
def test_deep_valid_code_is_checked(tmp_path, shape):
    compile(DEEP[shape], "deep", "exec")  # CPython accepts every one of them
    path = tmp_path / "deep.py"
    path.write_text(LAYER + DEEP[shape])
    report = check_source(path, path.read_text(), Options())
    assert [v.code for v in report.violations] == ["KS301"], report.violations


def test_deep_file_costs_nothing_to_the_others_in_a_run(tmp_path):
    (tmp_path / "deep.py").write_text(LAYER + DEEP["elif"])
    (tmp_path / "plain.py").write_text(LAYER)
    result = kcheck(tmp_path)
    assert_clean_run(result)
    assert result.returncode == 1
    assert result.stdout.count(ONE_FINDING) == 2, result.stdout


def test_flake8_keeps_every_file_with_a_deep_one(tmp_path):
    # An `and` chain: a tree 1,000 deep for libcst, flat for pyflakes (which flake8 always runs,
    # and which itself fails on 350 `+ 1`).
    (tmp_path / "deep.py").write_text(LAYER + "x = a" + " and b" * 1000 + "\n")
    (tmp_path / "plain.py").write_text(LAYER)
    result = subprocess.run([sys.executable, "-m", "flake8", "--select", "KS", str(tmp_path)],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert_clean_run(result)
    assert sorted(Path(line.split(":")[0]).name for line in result.stdout.splitlines()) == \
        ["deep.py", "plain.py"], result.stdout


def test_nesting_python_refuses_is_one_ks000(tmp_path):
    path = tmp_path / "deeper.py"
    path.write_text("import keras\nx = 1" + " + 1" * 10_000 + "\n")
    report = check_source(path, path.read_text(), Options())
    assert [(v.code, v.line) for v in report.violations] == [("KS000", 1)]
    assert "too deeply nested for Python to compile" in report.violations[0].message


# -- 2. native parser crashes and dead workers ------------------------------------------------

PARENS = "import keras\nx = " + "(" * 1300 + "1" + ")" * 1300 + "\n"


def test_deep_parentheses_are_one_ks000_in_a_single_process(tmp_path):
    path = tmp_path / "parens.py"
    path.write_text(PARENS)  # killed kcheck with SIGSEGV before
    result = kcheck(path)
    assert_clean_run(result)
    assert result.returncode == 2
    assert "parens.py:2:205: KS000 syntax error: too many nested parentheses" in result.stdout


def test_deep_parentheses_in_a_folder_do_not_hang_the_workers(tmp_path):
    (tmp_path / "parens.py").write_text(PARENS)
    for index in range(9):  # enough files for the worker processes
        (tmp_path / f"layer{index}.py").write_text(LAYER)
    result = kcheck("-j", "2", tmp_path, timeout=300)
    assert_clean_run(result)
    assert result.returncode == 3
    assert result.stdout.count(ONE_FINDING) == 9
    assert result.stdout.count("KS000") == 1


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                    reason="worker processes are forked; without fork files are checked in "
                           "one process")
def test_a_worker_that_dies_costs_only_its_file(tmp_path, monkeypatch):
    real = checker_module.check_file

    def crash_on_doomed(path, *args, **kwargs):
        if path.name.startswith("doomed"):
            faulthandler.disable()  # pytest's would print a stack dump for the expected crash
            os.kill(os.getpid(), signal.SIGSEGV)  # as libcst's parser did on deep nesting
        return real(path, *args, **kwargs)

    monkeypatch.setattr(checker_module, "check_file", crash_on_doomed)
    paths = []
    for name in ["doomed1.py", "doomed2.py"] + [f"layer{i}.py" for i in range(8)]:
        (tmp_path / name).write_text(LAYER)
        paths.append(tmp_path / name)
    reports = check_paths(paths, Options(), jobs=2)
    by_name = {Path(r.path).name: [v.code for v in r.violations] for r in reports}
    assert by_name == {"doomed1.py": ["KS000"], "doomed2.py": ["KS000"],
                       **{f"layer{i}.py": ["KS301"] for i in range(8)}}
    doomed = next(r for r in reports if r.path.endswith("doomed1.py"))
    assert "worker process killed by SIGSEGV" in doomed.violations[0].message


# -- 3. FIFOs ---------------------------------------------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@needs_fifo
def test_a_fifo_in_a_folder_is_passed_over(tmp_path):
    os.mkfifo(tmp_path / "x.py")
    (tmp_path / "layer.py").write_text(LAYER)
    result = kcheck(tmp_path, timeout=60)  # it blocked forever before
    assert_clean_run(result)
    assert result.returncode == 1 and ONE_FINDING in result.stdout


@needs_fifo
def test_a_fifo_named_on_the_command_line_is_called_a_fifo(tmp_path):
    os.mkfifo(tmp_path / "x.py")
    result = kcheck(tmp_path / "x.py", timeout=60)
    assert_clean_run(result)
    assert result.returncode == 2
    assert "x.py: a FIFO (named pipe), not a regular file; not read" in result.stderr


@needs_fifo
def test_reading_a_fifo_does_not_block(tmp_path):
    os.mkfifo(tmp_path / "x.py")
    with pytest.raises(SourceError, match="FIFO"):
        read_source(tmp_path / "x.py")


# -- 4. symbolic link loops -------------------------------------------------------------------

def test_a_symlink_loop_is_reported_not_raised(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "a.py").symlink_to("b.py")
    (folder / "b.py").symlink_to("a.py")
    (folder / "layer.py").write_text(LAYER)
    result = kcheck(folder)
    assert_clean_run(result)
    assert result.returncode == 3
    for name in ("a.py", "b.py"):
        assert f"{name}:1:1: KS000 cannot read file: Too many levels of symbolic links" in \
            result.stdout
    named = kcheck(folder / "a.py")
    assert_clean_run(named)
    assert named.returncode == 2 and "a.py: symbolic link loop; not checked" in named.stderr


# -- 5. unreadable folders, files and configuration --------------------------------------------

def _without_read_privileges() -> list[str]:
    """A command prefix under which file permissions apply: nothing for a normal user; for
    root, setpriv dropping the capabilities that bypass them."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be made to apply")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search",
              "--inh-caps=-dac_override,-dac_read_search"]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"setpriv cannot drop capabilities here: {probe.stderr[:200]!r}")
    return prefix


@pytest.fixture
def locked(tmp_path):
    """Folders and files with mode 000, unlocked again afterwards so they can be removed."""
    paths = []

    def lock(path: Path) -> Path:
        path.chmod(0)
        paths.append(path)
        return path

    yield lock
    for path in paths:
        path.chmod(0o700)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions only")
def test_unreadable_folders_and_files_are_reported(tmp_path, locked):
    prefix = _without_read_privileges()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "hidden.py").write_text(LAYER)
    (tmp_path / "layer.py").write_text(LAYER)
    (tmp_path / "secret.py").write_text(LAYER)
    locked(tmp_path / "sub")
    locked(tmp_path / "secret.py")
    result = kcheck(tmp_path, prefix=prefix)
    assert_clean_run(result)
    assert result.returncode == 3
    assert ONE_FINDING in result.stdout
    assert "secret.py:1:1: KS000 cannot read file: Permission denied" in result.stdout
    assert "sub: cannot list folder: Permission denied; its files are not checked" in \
        result.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions only")
def test_an_unreadable_pyproject_on_the_way_up_is_a_clean_error(tmp_path, locked):
    prefix = _without_read_privileges()
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "layer.py").write_text(LAYER)
    (tmp_path / "pyproject.toml").write_text('[tool.kcheck]\nselect = ["KS"]\n')
    locked(tmp_path / "pyproject.toml")
    result = kcheck("layer.py", cwd=tmp_path / "pkg", prefix=prefix)
    assert_clean_run(result)
    assert result.returncode == 2
    assert "pyproject.toml: cannot read: Permission denied" in result.stderr


# -- 6. wrong-shaped cache entries -------------------------------------------------------------

def _cached(tmp_path: Path) -> tuple[Path, ResultCache, dict]:
    """A checked layer.py whose findings are in the cache, the cache, and its file's JSON."""
    path = tmp_path / "layer.py"
    path.write_text(LAYER)
    first = check_paths([path], Options(), cache_dir=tmp_path / "cache")
    assert [v.code for v in first[0].violations] == ["KS301"]
    cache = ResultCache(tmp_path / "cache", options_key(Options()))
    stored = json.loads(cache.path.read_text())
    assert stored["entries"][str(path.resolve())]["violations"][0]["code"] == "KS301"
    return path, cache, stored


def _answers(tmp_path: Path, path: Path):
    return ResultCache(tmp_path / "cache", options_key(Options())).lookup(path)


# Entries wrong in one way each; a dict entry gets the right "hash" unless it sets one, so the
# shape under test is the only thing wrong with it.
@pytest.mark.parametrize("entry", [
    {}, [], None, 5, "text", {"violations": 5}, {"violations": [{"bogus": 1}]},
    {"violations": [], "dependencies": []}, {"violations": [None], "dependencies": {}},
    {"violations": [{"line": "1", "column": 1, "code": "KS301", "message": "m"}],
     "dependencies": {}},
    {"violations": [{"line": 0, "column": 1, "code": "KS301", "message": "m"}],
     "dependencies": {}},
    {"violations": [], "dependencies": {"/x.py": 3}},
    {"hash": 5, "violations": [], "dependencies": {}},
    {"hash": None, "violations": [], "dependencies": {}},
])
def test_a_wrong_shaped_cache_entry_is_a_miss(tmp_path, entry):
    path, cache, stored = _cached(tmp_path)
    key = str(path.resolve())
    if isinstance(entry, dict) and "violations" in entry:
        entry = {"hash": stored["entries"][key]["hash"], **entry}
    stored["entries"][key] = entry
    cache.path.write_text(json.dumps(stored))
    for _ in range(2):  # the bad entry is replaced by the check that follows the miss
        assert _answers(tmp_path, path) is None or _ == 1
        again = check_paths([path], Options(), cache_dir=tmp_path / "cache")
        assert [v.code for v in again[0].violations] == ["KS301"]
    assert json.loads(cache.path.read_text())["entries"][key]["violations"][0]["code"] == \
        "KS301"


def test_a_well_shaped_entry_is_what_answers(tmp_path):
    # The control for the test above: the entry it spoils is the one that answers.
    path, cache, stored = _cached(tmp_path)
    entry = stored["entries"][str(path.resolve())]
    entry["violations"][0]["message"] = "from the cache"
    cache.path.write_text(json.dumps(stored))
    assert [v.message for v in _answers(tmp_path, path)] == ["from the cache"]


@pytest.mark.parametrize("content", [
    "", "{", "[]", "null", '"text"', "5", '{"format": "kcheck-cache-1"}',
    '{"format": "kcheck-cache-2", "options": "another key", "entries": {}, "stamps": {}}',
    "[" * 100_000, b"\xff\xfe not utf-8",
])
def test_a_corrupt_or_foreign_cache_file_is_a_miss_and_is_rewritten(tmp_path, content):
    path, cache, stored = _cached(tmp_path)
    if isinstance(content, bytes):
        cache.path.write_bytes(content)
    else:
        cache.path.write_text(content)
    assert _answers(tmp_path, path) is None
    again = check_paths([path], Options(), cache_dir=tmp_path / "cache")
    assert [v.code for v in again[0].violations] == ["KS301"]
    assert [v.code for v in _answers(tmp_path, path)] == ["KS301"]


@pytest.mark.parametrize("stamp", [None, "x", [1, 2], [1, 2, 3], ["1", 2, "h"], [True, 1, "h"]])
def test_a_wrong_shaped_stamp_only_costs_a_read(tmp_path, stamp):
    path, cache, stored = _cached(tmp_path)
    stored["stamps"][str(path.resolve())] = stamp
    cache.path.write_text(json.dumps(stored))
    assert [v.code for v in _answers(tmp_path, path)] == ["KS301"]  # hashed, still the same


@pytest.mark.parametrize("table", ["entries", "stamps"])
@pytest.mark.parametrize("value", [[], "x", None, 5])
def test_a_wrong_shaped_table_makes_the_file_a_miss(tmp_path, table, value):
    path, cache, stored = _cached(tmp_path)
    stored[table] = value
    cache.path.write_text(json.dumps(stored))
    assert _answers(tmp_path, path) is None


# -- also: syntax error positions, and what libcst cannot parse -------------------------------

def test_a_syntax_error_is_reported_where_python_reports_it(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("import keras\nx = = 1\ny = 2\n")
    report = check_source(path, path.read_text(), Options())
    assert [(v.code, v.line, v.column, v.message) for v in report.violations] == \
        [("KS000", 2, 5, "syntax error: invalid syntax")]


def test_valid_python_libcst_cannot_parse_is_not_called_a_syntax_error(tmp_path):
    path = tmp_path / "grammar.py"
    text = LAYER + "(x): int = 1\n"
    compile(text, "grammar", "exec")
    path.write_text(text)
    report = check_source(path, text, Options())
    line = text.count("\n")
    assert [(v.code, v.line) for v in report.violations] == [("KS000", line)]
    message = report.violations[0].message
    assert "syntax error" not in message
    assert message == "Python accepts this file but libcst, kcheck's parser, does not; not checked"


def test_valid_python_libcst_cannot_parse_with_nothing_to_check_is_clean(tmp_path):
    # The cheap pass (CPython's ast) shows nothing any rule reads: libcst is never asked.
    path = tmp_path / "grammar.py"
    text = "import keras\n(x): int = 1\n"
    path.write_text(text)
    assert check_source(path, text, Options()).violations == []


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="this Python accepts `type X = int`")
def test_a_newer_pythons_syntax_is_still_checked(tmp_path):
    # CPython refuses it here; libcst knows the newer grammar, so the file is not lost.
    path = tmp_path / "newer.py"
    text = LAYER + "type Alias = int\n"
    path.write_text(text)
    report = check_source(path, text, Options())
    assert [v.code for v in report.violations] == ["KS301"]


# -- notebooks go through the same regular-file checks ----------------------------------------

@needs_fifo
def test_a_notebook_fifo_in_a_folder_is_passed_over_and_never_read(tmp_path):
    os.mkfifo(tmp_path / "x.ipynb")
    (tmp_path / "layer.py").write_text(LAYER)
    result = kcheck(tmp_path, timeout=60)
    assert_clean_run(result)
    assert result.returncode == 1 and ONE_FINDING in result.stdout
    assert "x.ipynb" not in result.stdout + result.stderr
    with pytest.raises(SourceError, match="FIFO"):
        read_notebook_file(tmp_path / "x.ipynb")


def test_a_notebook_symlink_loop_in_a_folder_is_a_file_error(tmp_path):
    (tmp_path / "a.ipynb").symlink_to("b.ipynb")
    (tmp_path / "b.ipynb").symlink_to("a.ipynb")
    (tmp_path / "layer.py").write_text(LAYER)
    result = kcheck(tmp_path)
    assert_clean_run(result)
    assert result.returncode == 3
    for name in ("a.ipynb", "b.ipynb"):
        assert f"{name}:1:1: KS000 cannot read file: Too many levels of symbolic links" in \
            result.stdout


@pytest.mark.parametrize("text", [
    "", "a", "a\n", "a\nb", "a\r\nb\rc\n", "\n\n", "\r", "\r\n\r",
    "x = 1\x0c\ny = 2\n",  # a form feed before a line break: no line of its own
    "x = 1\x0cy = 2\n", "a\x0b\x1c\x1d\x1eb\x85c\u2028d\u2029e",  # separators CPython ignores
    "a\x0c", "a\n\x0c", "a\x0c\x0c", "\u2028",  # ... also at the very end
])
def test_source_lines_break_only_where_cpython_does(text):
    """str.splitlines (the quick way) splits at more than CPython's line breaks; source_lines
    falls back to its own split then, and ends with what follows the last break."""
    expected = re.findall(r"[^\r\n]*(?:\r\n|\r|\n|$)", text)
    assert source_lines(text) == expected
    assert "".join(source_lines(text)) == text
