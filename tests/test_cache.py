"""The findings cache: unchanged files are answered from it, and nothing stale comes back."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

BASE = textwrap.dedent('''
    import keras

    @keras.saving.register_keras_serializable(package="t")
    class Base(keras.layers.Layer):
        def get_config(self):
            return super().get_config()
''')
CHILD = textwrap.dedent('''
    import keras
    from base import Base

    @keras.saving.register_keras_serializable(package="t")
    class Child(Base):
        def __init__(self, inner, **kwargs):
            super().__init__(**kwargs)
            self.inner = inner

        def call(self, x):
            return self.inner(x)
''')


def run(tmp_path: Path, *args: str) -> list[tuple[str, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "kcheck", "--select", "KS101", "--format", "json",
         "--cache-dir", str(tmp_path / "cache"), *args, str(tmp_path / "src")],
        capture_output=True, text=True, timeout=120)
    return sorted((Path(item["path"]).name, item["code"]) for item in json.loads(result.stdout))


def test_cache_is_used_and_invalidated_by_edits_to_the_file_and_its_bases(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "base.py").write_text(BASE)
    (src / "child.py").write_text(CHILD)
    assert run(tmp_path) == []  # Base defines get_config, so Child inherits it
    assert list((tmp_path / "cache").rglob("*.json")), "the run must fill the cache"
    assert (tmp_path / "cache" / ".gitignore").read_text().endswith("*\n")  # never committed
    assert (tmp_path / "cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f59")
    assert run(tmp_path) == []
    # Editing the base class's file must invalidate the child's entry.
    (src / "base.py").write_text(BASE.replace("def get_config", "def other"))
    assert run(tmp_path) == [("child.py", "KS101")]
    # Editing the file itself too.
    (src / "child.py").write_text(CHILD.replace("def call", "def get_config(self):\n"
                                                "        return {}\n\n    def call"))
    assert run(tmp_path) == []


def test_cached_and_uncached_runs_agree_and_options_are_part_of_the_key(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "child.py").write_text(CHILD.replace("from base import Base",
                                                     "from keras.layers import Layer as Base"))
    first = run(tmp_path)
    assert first == [("child.py", "KS101")]
    assert first == run(tmp_path) == run(tmp_path, "--no-cache")
    ignored = subprocess.run(
        [sys.executable, "-m", "kcheck", "--select", "KS1", "--ignore", "KS101", "--format",
         "json", "--cache-dir", str(tmp_path / "cache"), str(src)],
        capture_output=True, text=True)
    assert json.loads(ignored.stdout) == []


def test_unwritable_cache_directory_is_not_an_error(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "child.py").write_text(CHILD.replace("from base import Base",
                                                "from keras.layers import Layer as Base"))
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would go")
    result = subprocess.run([sys.executable, "-m", "kcheck", "--cache-dir", str(blocker),
                             str(src)], capture_output=True, text=True)
    assert "Traceback" not in result.stderr
    assert "KS101" in result.stdout


API = textwrap.dedent('''
    import keras


    def export(path):
        def register(symbol):
            keras.saving.register_keras_serializable(package="pkg")(symbol)
            return symbol
        return register
''')
LAYER = textwrap.dedent('''
    import keras
    from pkg.src.api import export


    @export("pkg.Scale")
    class Scale(keras.layers.Layer):
        def call(self, x):
            return x * 2.0
''')


def test_entry_dies_when_a_package_appears_where_an_import_looked(tmp_path):
    # pkg/src/ is a package but pkg/ is not: `from pkg.src.api import export` does not resolve,
    # so the registration is not seen. Adding pkg/__init__.py makes it resolve; a cached entry
    # that remembered only the modules it found would keep reporting KS301.
    src = tmp_path / "src" / "pkg" / "src"
    src.mkdir(parents=True)
    (src / "__init__.py").write_text("")
    (src / "api.py").write_text(API)
    (src / "layer.py").write_text(LAYER)
    run301 = ("--select", "KS301")
    assert run(tmp_path, *run301) == [("layer.py", "KS301")]
    assert run(tmp_path, *run301) == [("layer.py", "KS301")]  # answered from the cache
    (tmp_path / "src" / "pkg" / "__init__.py").write_text("")
    assert run(tmp_path, "--no-cache", *run301) == []
    assert run(tmp_path, *run301) == []


# -- stat first, hash second ----------------------------------------------------------------------

from kcheck.engine import Options, check_paths  # noqa: E402
from kcheck.engine import cache as cache_module  # noqa: E402
from kcheck.engine.cache import ResultCache, read_stamped  # noqa: E402
from kcheck.engine.options import options_key  # noqa: E402

GATE = ("import keras\n\n\nclass Gate(keras.layers.Layer):\n"
        "    def __init__(self, inner, **kwargs):\n"
        "        super().__init__(**kwargs)\n        self.inner = inner\n")
AN_HOUR_AGO = 3600 * 10**9


def _age(path: Path, ns: int = AN_HOUR_AGO) -> int:
    """Set *path*'s mtime in the past (so its stamp is trusted); return the mtime."""
    mtime = path.stat().st_mtime_ns - ns
    os.utime(path, ns=(mtime, mtime))
    return mtime


def _reads(monkeypatch) -> list[str]:
    """The files the cache reads from now on."""
    seen: list[str] = []
    real = cache_module.read_bytes

    def counting(path):
        seen.append(str(path))
        return real(path)

    monkeypatch.setattr(cache_module, "read_bytes", counting)
    return seen


def _no_check(monkeypatch) -> None:
    from kcheck.engine import checker

    def refuse(*args, **kwargs):
        raise AssertionError("a file was checked although the cache should answer")

    monkeypatch.setattr(checker, "check_many", refuse)


def _codes(reports) -> list[str]:
    return [v.code for report in reports for v in report.violations]


def test_an_unchanged_file_is_answered_from_its_stat_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "gate.py"
    path.write_text(GATE)
    _age(path)
    cache_dir = tmp_path / "cache"
    assert _codes(check_paths([path], Options(), cache_dir=cache_dir)) == ["KS301"]
    written = ResultCache(cache_dir, options_key(Options())).path
    before = written.stat().st_mtime_ns
    reads = _reads(monkeypatch)
    _no_check(monkeypatch)
    assert _codes(check_paths([path], Options(), cache_dir=cache_dir)) == ["KS301"]
    assert reads == []
    assert written.stat().st_mtime_ns == before, "a run with only hits writes nothing"


def test_a_touched_but_unchanged_file_is_a_hit_and_its_stamp_is_refreshed(tmp_path, monkeypatch):
    path = tmp_path / "gate.py"
    path.write_text(GATE)
    _age(path, 2 * AN_HOUR_AGO)
    cache_dir = tmp_path / "cache"
    check_paths([path], Options(), cache_dir=cache_dir)
    touched = _age(path, -AN_HOUR_AGO)  # an hour later, still an hour ago
    reads = _reads(monkeypatch)
    _no_check(monkeypatch)
    assert _codes(check_paths([path], Options(), cache_dir=cache_dir)) == ["KS301"]
    assert reads == [str(path.resolve())]  # hashed once, found unchanged
    stored = json.loads(ResultCache(cache_dir, options_key(Options())).path.read_text())
    assert stored["stamps"][str(path.resolve())][:2] == [len(GATE), touched]
    reads.clear()
    assert _codes(check_paths([path], Options(), cache_dir=cache_dir)) == ["KS301"]
    assert reads == []


def test_an_edit_that_keeps_size_and_mtime_is_seen_when_the_stamp_was_racy(tmp_path):
    # Written just now: a second edit within the same timestamp tick could keep both, so the
    # stamp is not trusted and the next run hashes the file.
    path = tmp_path / "gate.py"
    path.write_text(GATE)
    cache_dir = tmp_path / "cache"
    assert _codes(check_paths([path], Options(), cache_dir=cache_dir)) == ["KS301"]
    info = path.stat()
    registered = GATE.replace("class Gate", "@keras.saving.register_keras_serializable()\n"
                                            "class Gate")
    path.write_text(registered[:len(GATE)])  # the same size, still valid Python
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    assert _codes(check_paths([path], Options(), cache_dir=cache_dir)) == []


def test_a_changed_file_is_checked_again(tmp_path):
    path = tmp_path / "gate.py"
    path.write_text(GATE)
    _age(path)
    cache_dir = tmp_path / "cache"
    assert _codes(check_paths([path], Options(), cache_dir=cache_dir)) == ["KS301"]
    path.write_text(GATE.replace("class Gate", "@keras.saving.register_keras_serializable()\n"
                                               "class Gate"))
    assert _codes(check_paths([path], Options(), cache_dir=cache_dir)) == []


def test_a_touched_dependency_is_hashed_and_keeps_the_entry(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    (src / "base.py").write_text(BASE)
    (src / "child.py").write_text(CHILD)
    for path in src.iterdir():
        _age(path, 2 * AN_HOUR_AGO)
    cache_dir = tmp_path / "cache"
    options = Options()
    check_paths([src / "child.py"], options, cache_dir=cache_dir)
    stored = json.loads(ResultCache(cache_dir, options_key(options)).path.read_text())
    entry = stored["entries"][str((src / "child.py").resolve())]
    assert str((src / "base.py").resolve()) in entry["dependencies"]
    _age(src / "base.py", -AN_HOUR_AGO)
    _no_check(monkeypatch)
    reads = _reads(monkeypatch)
    check_paths([src / "child.py"], options, cache_dir=cache_dir)
    assert reads == [str((src / "base.py").resolve())]


def test_two_runs_do_not_lose_each_other_s_entries(tmp_path):
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text(GATE)
    second.write_text(GATE.replace("Gate", "Other"))
    key = options_key(Options())
    one, two = ResultCache(tmp_path / "cache", key), ResultCache(tmp_path / "cache", key)
    for cache, path in ((one, first), (two, second)):  # both loaded before either saves
        stamp, _ = read_stamped(path)
        cache.record(path, stamp, [], ())
    one.save()
    two.save()
    fresh = ResultCache(tmp_path / "cache", key)
    assert fresh.lookup(first) == [] and fresh.lookup(second) == []


def test_only_the_parent_process_writes_the_cache(tmp_path, monkeypatch):
    src = tmp_path / "src"
    src.mkdir()
    for index in range(10):  # enough for worker processes
        (src / f"gate{index}.py").write_text(GATE.replace("Gate", f"Gate{index}"))
    log = tmp_path / "writers"
    real = ResultCache.save

    def save(self):
        with open(log, "a") as stream:
            stream.write(f"{os.getpid()}\n")
        real(self)

    monkeypatch.setattr(ResultCache, "save", save)
    paths = sorted(src.iterdir())
    reports = check_paths(paths, Options(), jobs=2, cache_dir=tmp_path / "cache")
    assert _codes(reports) == ["KS301"] * 10
    assert log.read_text().split() == [str(os.getpid())]
    fresh = ResultCache(tmp_path / "cache", options_key(Options()))
    assert all(fresh.lookup(path) is not None for path in paths)


def test_removing_a_module_a_name_was_looked_up_in_invalidates_the_entry(tmp_path):
    # `helpers.Missing` looked up in a helpers.py of the tree is unknown; once that file is gone
    # it is an installed package's name. The entry must not outlive the file, although nothing
    # of it was found.
    src = tmp_path / "src"
    src.mkdir()
    (src / "helpers.py").write_text("# no Missing here\n")
    (src / "gate.py").write_text(GATE + "\n\nimport helpers\n\n\nclass Other(helpers.Missing):\n"
                                        "    pass\n")
    options = Options()
    check_paths([src / "gate.py"], options, cache_dir=tmp_path / "cache")
    stored = json.loads(ResultCache(tmp_path / "cache", options_key(options)).path.read_text())
    dependencies = stored["entries"][str((src / "gate.py").resolve())]["dependencies"]
    assert dependencies[str((src / "helpers.py").resolve())] is not None
    assert ResultCache(tmp_path / "cache", options_key(options)).lookup(src / "gate.py") \
        is not None
    (src / "helpers.py").unlink()
    assert ResultCache(tmp_path / "cache", options_key(options)).lookup(src / "gate.py") is None


def test_entries_of_removed_files_are_dropped_when_the_cache_is_next_written(tmp_path):
    kept, removed, added = (tmp_path / f"{name}.py" for name in ("kept", "removed", "added"))
    for path in (kept, removed, added):
        path.write_text(GATE)
    cache_dir = tmp_path / "cache"
    check_paths([kept, removed], Options(), cache_dir=cache_dir)
    removed.unlink()
    check_paths([added], Options(), cache_dir=cache_dir)
    stored = json.loads(ResultCache(cache_dir, options_key(Options())).path.read_text())
    assert sorted(Path(key).name for key in stored["entries"]) == ["added.py", "kept.py"]
    assert sorted(Path(key).name for key in stored["stamps"]) == ["added.py", "kept.py"]


def test_an_edit_rechecks_only_the_file_and_the_files_that_depend_on_it(tmp_path, monkeypatch):
    from kcheck.engine import checker

    src = tmp_path / "src"
    src.mkdir()
    (src / "base.py").write_text(BASE)
    for index in range(3):
        (src / f"child{index}.py").write_text(CHILD.replace("Child", f"Child{index}"))
        (src / f"other{index}.py").write_text(GATE.replace("Gate", f"Other{index}"))
    for path in src.iterdir():
        _age(path)
    paths = sorted(src.iterdir())
    checked: list[str] = []
    real = checker.check_many

    def spy(pending, *args, **kwargs):
        checked.extend(path.name for path in pending)
        return real(pending, *args, **kwargs)

    monkeypatch.setattr(checker, "check_many", spy)
    cache_dir = tmp_path / "cache"
    check_paths(paths, Options(), jobs=1, cache_dir=cache_dir)
    assert len(checked) == 7
    checked.clear()
    (src / "other1.py").write_text(GATE.replace("Gate", "Renamed"))
    check_paths(paths, Options(), jobs=1, cache_dir=cache_dir)
    assert checked == ["other1.py"]
    checked.clear()
    (src / "base.py").write_text(BASE.replace("def get_config", "def other"))
    reports = check_paths(paths, Options(), jobs=1, cache_dir=cache_dir)
    assert sorted(checked) == ["base.py", "child0.py", "child1.py", "child2.py"]
    assert sorted(r.path.rsplit("/", 1)[-1] for r in reports
                  if any(v.code == "KS101" for v in r.violations)) == \
        ["child0.py", "child1.py", "child2.py"]
    checked.clear()
    check_paths(paths, Options(), jobs=1, cache_dir=cache_dir)
    assert checked == []
