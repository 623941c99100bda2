"""benchmarks/static_speed.py: its pure parts (tree assembly, the 2 MB module, the report,
the findings comparison) and its process sampling. No network, no timing."""

from __future__ import annotations

import ast
import importlib.util
import io
import json
import math
import os
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_SPEC = importlib.util.spec_from_file_location("static_speed",
                                               ROOT / "benchmarks" / "static_speed.py")
speed = importlib.util.module_from_spec(_SPEC)
sys.modules["static_speed"] = speed  # dataclasses look their module up by name
_SPEC.loader.exec_module(speed)

LINUX_PROC = Path("/proc/self/status").exists()


def _wheel(folder: Path) -> Path:
    path = folder / "demo_pkg-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as bundle:
        bundle.writestr("demo_pkg/__init__.py", "X = 1\n")
        bundle.writestr("demo_pkg/layers/dense.py", "import keras\n")
        bundle.writestr("demo_pkg/data.json", "{}")
        bundle.writestr("demo_pkg-1.0.dist-info/METADATA", "Name: demo-pkg\n")
        bundle.writestr("demo_pkg-1.0.dist-info/hook.py", "pass\n")
    return path


def _sdist(folder: Path) -> Path:
    path = folder / "demo-sdist-2.0.tar.gz"
    with tarfile.open(path, "w:gz") as bundle:
        for name, text in (("demo-sdist-2.0/setup.py", "pass\n"),
                           ("demo-sdist-2.0/demo_sdist/__init__.py", "Y = 2\n"),
                           ("demo-sdist-2.0/PKG-INFO", "Name: demo-sdist\n"),
                           ("demo-sdist-2.0/../escape.py", "pass\n")):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
    return path


def _files(tree: Path) -> set[str]:
    return {p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()}


def test_the_tutorial_tree_holds_only_python_files_from_folders_and_archives(tmp_path):
    scripts = tmp_path / "scripts"
    (scripts / "sub").mkdir(parents=True)
    (scripts / "a.py").write_text("import keras\n")
    (scripts / "sub" / "b.py").write_text("pass\n")
    (scripts / "tutorial.ipynb").write_text("{}")
    (scripts / "README.md").write_text("# notes\n")
    target = tmp_path / "work" / "tutorial"
    target.mkdir(parents=True)
    (target / "stale.py").write_text("from an earlier run\n")

    speed.assemble_tutorial_tree(target, {"scripts": scripts},
                                 [_wheel(tmp_path), _sdist(tmp_path)])

    assert _files(target) == {
        "scripts/a.py", "scripts/sub/b.py",
        "demo_pkg-1.0/demo_pkg/__init__.py", "demo_pkg-1.0/demo_pkg/layers/dense.py",
        "demo-sdist-2.0/setup.py", "demo-sdist-2.0/demo_sdist/__init__.py"}
    assert (target / "demo-sdist-2.0" / "demo_sdist" / "__init__.py").read_text() == "Y = 2\n"
    assert not (tmp_path / "work" / "escape.py").exists()


def test_an_archive_is_found_however_pip_spelled_its_name(tmp_path):
    for name in ("keras_tcn-3.5.70-py3-none-any.whl", "keras_tcn-3.5.7-py3-none-any.whl",
                 "keras-self-attention-0.51.0.tar.gz", "keras_unet_collection-0.1.13.txt"):
        (tmp_path / name).write_text("")
    assert speed.find_archive(tmp_path, "keras-tcn==3.5.7").name == \
        "keras_tcn-3.5.7-py3-none-any.whl"
    assert speed.find_archive(tmp_path, "keras-self-attention==0.51.0").name == \
        "keras-self-attention-0.51.0.tar.gz"
    assert speed.find_archive(tmp_path, "keras-unet-collection==0.1.13") is None
    assert speed.find_archive(tmp_path / "absent", "keras-tcn==3.5.7") is None


def test_archives_already_downloaded_are_reused_without_pip(tmp_path, monkeypatch):
    (tmp_path / "keras_tcn-3.5.7-py3-none-any.whl").write_text("")
    (tmp_path / "keras-self-attention-0.51.0.tar.gz").write_text("")

    def no_pip(*args, **kwargs):
        raise AssertionError("pip must not run when every archive is present")

    monkeypatch.setattr(speed.subprocess, "run", no_pip)
    found = speed.fetch_archives(["keras-tcn==3.5.7", "keras-self-attention==0.51.0"], tmp_path)
    assert [p.name for p in found] == ["keras_tcn-3.5.7-py3-none-any.whl",
                                       "keras-self-attention-0.51.0.tar.gz"]


def test_a_failed_download_says_why_instead_of_a_traceback(tmp_path, monkeypatch):
    calls = []

    def failing_pip(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, 1, "", "WARNING: retrying\n"
                                           "ERROR: No matching distribution found for x==1\n")

    monkeypatch.setattr(speed.subprocess, "run", failing_pip)
    with pytest.raises(speed.Unavailable, match="No matching distribution found for x==1"):
        speed.fetch_archives(["x==1"], tmp_path / "downloads")
    assert calls[0][1:5] == ["-m", "pip", "download", "--no-deps"]


def test_a_part_loses_its_future_imports_and_a_broken_file_is_left_out():
    text = textwrap.dedent('''\
        """Docstring."""
        from __future__ import annotations
        from __future__ import (
            division,
        )
        import keras
    ''')
    part = speed.module_part(text)
    assert "__future__" not in part and "import keras" in part
    ast.parse("x = 1\n" + part)  # legal after other code now
    assert speed.module_part("def broken(:\n") is None
    assert speed.module_part("x = 1") == "x = 1\n"


def _corpus_texts() -> list[str]:
    return list(speed.read_texts(sorted((ROOT / "corpus").rglob("*.py"))))


def test_the_large_module_is_valid_python_just_under_the_limit():
    module = speed.build_large_module(_corpus_texts(), 60_000)
    size = len(module.encode())
    assert 0.95 * 60_000 <= size < 60_000
    ast.parse(module)
    assert "from __future__" not in module


def test_too_few_sources_for_the_limit_are_reported_not_repeated():
    with pytest.raises(speed.Unavailable, match="too few"):
        speed.build_large_module(["x = 1\n"] * 3, 60_000)


@pytest.mark.skipif(importlib.util.find_spec("keras") is None, reason="keras is not installed")
def test_a_module_at_kcheck_s_own_limit_is_one_kcheck_still_reads():
    from kcheck.sources.python import MAX_BYTES, decode_source

    files = speed.Tree("keras", "keras/src", speed.keras_sources()).python_files()
    module = speed.build_large_module(speed.read_texts(files), speed.kcheck_size_limit())
    assert speed.kcheck_size_limit() == MAX_BYTES
    assert MAX_BYTES - 20_000 < len(module.encode()) < MAX_BYTES
    decode_source(module.encode())  # under the limit: no SourceError


def test_targets_decide_pass_and_fail_at_their_limits():
    def result(value, target):
        return speed.Result("row", "work", "kcheck", "reference", value, target)

    assert result(0.5, speed.COLD_TARGET).verdict == "PASS"  # at most 0.5x
    assert result(0.51, speed.COLD_TARGET).verdict == "FAIL"
    assert result(1.3, speed.PLUGIN_TARGET).verdict == "PASS"
    assert result(299.9, speed.MEMORY_TARGET).verdict == "PASS"
    assert result(300.1, speed.MEMORY_TARGET).verdict == "FAIL"
    assert result(3.0, speed.BIGFILE_TARGET).verdict == "FAIL"  # under 3 s, strictly
    assert result(2.99, speed.BIGFILE_TARGET).verdict == "PASS"
    assert result(0, speed.FINDINGS_TARGET).measured == "identical"
    assert result(2, speed.FINDINGS_TARGET).verdict == "FAIL"
    assert result(None, speed.COLD_TARGET).verdict == "skipped"
    unfinished = speed.unfinished("bigfile", "one file", "did not finish within 600 s")
    assert (unfinished.verdict, unfinished.measured) == ("FAIL", "did not finish")
    assert math.isinf(unfinished.value)


def test_the_markdown_table_has_one_row_per_result_and_says_why_a_row_was_skipped():
    results = [
        speed.Result("cold", "keras/src (770 files, 12.1 MB), cold",
                     "`kcheck --no-cache -j 2 --exit-zero TREE` 6.00 s",
                     "`flake8 --select F -j 2 TREE` 13.00 s", 6 / 13, speed.COLD_TARGET),
        speed.skipped("warm", "keras/src, warm cache", speed.WARM_TARGET,
                      "ruff is not installed"),
        speed.Result("memory", "a | b", "kcheck", "", 420.0, speed.MEMORY_TARGET),
    ]
    lines = speed.markdown_table(results).splitlines()
    assert lines[0] == "| work | kcheck | reference | measured | target | result |"
    assert len(lines) == 2 + len(results)
    assert lines[2].endswith("| 0.46x | <= 0.5x | PASS |")
    assert "skipped: ruff is not installed" in lines[3]
    assert "a \\| b" in lines[4] and lines[4].endswith("| 420.0 MB | <= 300 MB | FAIL |")
    assert speed.exit_status(results) == 1
    assert speed.exit_status(results[:2]) == 0
    assert speed.exit_status(results[1:2]) == 2


def _finding(path, line=3, code="KS101", message="m", fix=None):
    return {"path": str(path), "line": line, "column": 1, "code": code, "message": message,
            "class": "C", "fix": fix}


def test_findings_compare_by_path_in_the_tree_line_column_code_message_and_fix(tmp_path):
    tree = tmp_path / "tutorial"
    (tree / "corpus").mkdir(parents=True)
    (tree / "corpus" / "a.py").write_text("")
    elsewhere = Path("/old/work/tutorial/corpus/a.py")  # a baseline from another --work
    now = speed.findings_of([_finding(tree / "corpus" / "a.py"),
                             _finding(tree / "corpus" / "a.py", line=9)], tree)
    saved = speed.findings_of([_finding(elsewhere), _finding(elsewhere, line=9)], tree)
    assert now == saved == Counter({("corpus/a.py", 3, 1, "KS101", "m", "null"): 1,
                                    ("corpus/a.py", 9, 1, "KS101", "m", "null"): 1})
    assert speed.compare_findings(saved, now, ("before", "now")) == []

    changed = speed.findings_of([_finding(elsewhere), _finding(elsewhere, line=9,
                                                               message="other")], tree)
    assert speed.compare_findings(saved, changed, ("before", "now")) == [
        "only before: corpus/a.py:9:1: KS101 m", "only now: corpus/a.py:9:1: KS101 other"]
    many = speed.findings_of([_finding(elsewhere, line=n) for n in range(20)], tree)
    lines = speed.compare_findings(many, Counter(), ("before", "now"), limit=5)
    assert len(lines) == 6 and lines[-1] == "... and 15 more"


def test_fixes_compare_by_what_their_edits_make_of_the_file(tmp_path):
    (tmp_path / "a.py").write_text("class A:\n    x = 1\n\n\ny = 2\n")

    def fix(row, content):
        return {"applicability": "safe", "message": "add",
                "edits": [{"location": {"row": row, "column": 1},
                           "end_location": {"row": row, "column": 1}, "content": content}]}

    # the same method added, cut before or after the blank line the class ends with
    before = fix(3, "\n    def m(self):\n        pass\n")
    after = fix(4, "    def m(self):\n        pass\n\n")
    one, other = (speed.findings_of([_finding(tmp_path / "a.py", fix=f)], tmp_path)
                  for f in (before, after))
    assert one == other
    different = speed.findings_of([_finding(tmp_path / "a.py", fix=fix(1, "import os\n"))],
                                  tmp_path)
    lines = speed.compare_findings(one, different, ("before", "now"))
    assert len(lines) == 2 and all("fixed text" in line for line in lines)
    failed = {"applicability": "safe", "message": "add", "edits": [{"error": "ValueError: x"}]}
    assert speed.fix_outcome(failed, tmp_path / "a.py") == json.dumps(failed, sort_keys=True)


def test_findings_that_are_not_kcheck_json_are_refused(tmp_path):
    with pytest.raises(ValueError):
        speed.findings_of({"path": "a.py"}, tmp_path)


def test_rows_and_trees_are_checked_by_name():
    args = speed.parse_arguments(["--only", "cold,findings", "--trees", "tutorial"])
    assert (args.only, args.trees, args.runs) == (["cold", "findings"], ["tutorial"], 3)
    with pytest.raises(SystemExit):
        speed.parse_arguments(["--only", "fast"])
    with pytest.raises(SystemExit):
        speed.parse_arguments(["--runs", "0"])


@pytest.mark.skipif(not LINUX_PROC, reason="samples /proc")
def test_memory_is_summed_over_the_process_tree_and_the_largest_process_is_known(tmp_path):
    grandchild = "x = bytearray(80_000_000); import time; time.sleep(1.0)"
    child = (f"import subprocess, sys; subprocess.run([sys.executable, '-c', {grandchild!r}])")
    run = speed.run_once([sys.executable, "-c", child], tmp_path, sample_memory=True)
    assert run.status == 0
    assert run.tree_peak_kb * 1024 > 80_000_000  # the grandchild's bytes are in the sum
    assert run.largest_hwm_kb * 1024 > 80_000_000  # the grandchild's own peak
    assert run.tree_peak_kb > run.largest_hwm_kb  # the child adds its own to the sum
    assert run.single_peak_kb * 1024 > 80_000_000  # ru_maxrss covers the reaped grandchild
    if speed.proportional_kb(os.getpid()):  # the kernel gives PSS
        assert run.tree_pss_peak_kb * 1024 > 80_000_000


@pytest.mark.skipif(not LINUX_PROC, reason="uses process groups")
def test_a_command_past_the_timeout_is_stopped_and_marked(tmp_path):
    run = speed.run_once([sys.executable, "-c", "import time; time.sleep(60)"], tmp_path,
                         timeout=0.5)
    assert run.timed_out and run.status < 0


def test_the_findings_row_compares_with_a_saved_baseline(tmp_path):
    tree = tmp_path / "project"
    tree.mkdir()
    (tree / "layer.py").write_text(textwrap.dedent('''\
        import keras

        class Scale(keras.layers.Layer):
            def __init__(self, factor, **kwargs):
                super().__init__(**kwargs)
                self.factor = factor
    '''))
    saved = tmp_path / "baseline"
    common = [str(tree), "--trees", "keras", "--only", "findings", "--work",
              str(tmp_path / "work")]
    assert speed.main([*common, "--save-findings", str(saved)]) in (0, 2)
    assert [item["code"] for item in json.loads((saved / "keras.json").read_text())] == \
        ["KS301"]
    assert speed.main([*common, "--baseline-dir", str(saved)]) == 0


def test_byte_compile_writes_the_bytecode_a_pip_install_would(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("X = 1\n")
    (package / "sub" / "mod.py").write_text("Y = 2\n")
    note = speed.byte_compile(package)
    assert "byte-compiled" in note
    assert list((package / "__pycache__").glob("__init__.*.pyc"))
    assert list((package / "sub" / "__pycache__").glob("mod.*.pyc"))
    (package / "broken.py").write_text("def (:\n")
    assert "could not all be byte-compiled" in speed.byte_compile(package)
