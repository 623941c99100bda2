"""Measure kcheck against the tools it runs beside and check each speed target of issue 15.

usage: nice -n 10 python benchmarks/static_speed.py [TREE] [--runs N] [--only ROWS]
           [--trees keras,tutorial] [--work DIR] [--timeout SECONDS]
           [--baseline-dir DIR] [--save-findings DIR]

Run it with the interpreter kcheck, flake8 and ruff are installed in (a venv made as the README
says). Every command runs as a fresh process with its output sent to /dev/null, the way a
pre-commit hook or a CI step runs it; a row's commands take turns, N times each (default 3), and
the median is reported, so background load hits both sides of a ratio alike. kcheck's modules
are byte-compiled first where their bytecode is missing or stale, as a pip install leaves them
(an editable install under PYTHONDONTWRITEBYTECODE would compile them in every process). Rows
(``--only``
takes a comma-separated subset of these names):

- ``cold``: ``kcheck --no-cache -j 2 --exit-zero TREE`` against ``flake8 --select F -j 2 TREE``
  with kcheck's own flake8 plugin hidden from flake8, on each tree. Target: at most 0.5x.
- ``warm``: ``kcheck --cache-dir D -j 2 TREE`` after one priming run (nothing changed) against
  ``ruff check --select F --no-cache -q TREE``, on keras/src. Target: at most 1.0x.
- ``plugin``: ``flake8 --select KS -j 2 TREE`` (kcheck's plugin active) against
  ``flake8 --select F -j 2 TREE`` (plugin hidden), on each tree. Target: at most 1.3x.
- ``memory``: the peak resident memory of ``kcheck --no-cache -j 2 --exit-zero`` on keras/src,
  summed over the whole process tree (kcheck and its workers, sampled from /proc every 20 ms;
  pages shared between processes count once per process) and the largest single process's
  ``ru_maxrss``; the highest of the N runs. Target: the sum at most 300 MB (1 MB = 10^6 bytes).
- ``bigfile``: ``kcheck --no-cache --exit-zero FILE`` on one valid Python file just under kcheck's
  size limit (``kcheck.sources.python.MAX_BYTES``), assembled from the tutorial tree's files (or
  keras/src's when that tree is skipped). Target: under 3 s; its peak RSS (``ru_maxrss``: the
  file is checked in one process, which is not sampled while timed) is reported.
- ``findings``: ``kcheck --no-cache -j 2 --exit-zero --format json TREE`` with and without
  ``--full-parse`` (every file parsed whole by libcst, as kcheck 0.1 did) must report the same
  findings (path, line, column, code, message, and the fix: its applicability, message and the
  text its edits give), on each tree and
  on the bigfile row's module, and the same as the JSON files in
  ``--baseline-dir`` (``keras.json``, ``tutorial.json``) when given. ``--save-findings DIR``
  writes this run's outputs under those names, to compare a later kcheck against.

Trees (``--trees`` takes a subset): ``keras`` is the installed keras's sources (``keras/src``),
or TREE when given; ``tutorial`` is assembled under ``--work DIR`` (default: a folder in the
system temp dir) from every ``*.py`` of this repository's ``corpus/`` and
``benchmarks/realcode/`` and of the pinned releases in TUTORIAL_RELEASES, which
``pip download --no-deps`` fetches once into ``DIR/downloads`` (reused when present). Only
``.py`` files go in: flake8 does not read notebooks. Without pip or the package index the
tutorial tree is skipped with a message.

Every command runs from ``--work DIR``, so no configuration file of this repository (tox.ini,
pyproject.toml) applies. The script prints the machine, each row with its target and PASS or
FAIL, the exact command lines, and a Markdown table for the README. Exit status: 0 when every
measured row meets its target, 1 when one does not, 2 when nothing could be measured.
"""

from __future__ import annotations

import argparse
import ast
import compileall
import contextlib
import hashlib
import importlib.metadata
import importlib.util
import io
import json
import math
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL_FOLDERS = {"corpus": ROOT / "corpus", "realcode": ROOT / "benchmarks" / "realcode"}
TUTORIAL_RELEASES = (
    "keras-tcn==3.5.7",
    "keras-self-attention==0.51.0",
    "keras-unet-collection==0.1.13",
    "keras-cv-attention-models==1.4.3",
)
ROWS = ("cold", "warm", "plugin", "memory", "bigfile", "findings")
TREES = ("keras", "tutorial")
JOBS = "2"
SAMPLE_INTERVAL = 0.02
LARGE_MODULE_HEADER = (
    "# One module just under kcheck's size limit, assembled by benchmarks/static_speed.py\n"
    "# from real files (their __future__ imports dropped, each part parsed on its own).\n"
)

# flake8 runs every installed plugin whatever --select says, so the baseline hides kcheck's own
# plugin from flake8's plugin discovery; otherwise it would time kcheck twice. The plugin row
# starts flake8 the same way without hiding anything, so both sides pay the same start-up.
_FLAKE8_WITHOUT_KCHECK = """
import importlib.metadata as metadata, sys
real = metadata.distributions
metadata.distributions = lambda **kw: [
    d for d in real(**kw) if (d.metadata["Name"] or "").lower() != "kcheck"]
from flake8.main.cli import main
sys.exit(main())
"""
_FLAKE8 = """
import sys
from flake8.main.cli import main
sys.exit(main())
"""
SCRIPT_NAMES = {_FLAKE8_WITHOUT_KCHECK: "$FLAKE8_WITHOUT_KCHECK", _FLAKE8: "$FLAKE8"}


class Unavailable(Exception):
    """A tree, tool or row that cannot be measured here, with the reason for the user."""


class TimedOut(Exception):
    """A command that ran past --timeout: its row fails."""


# --- trees ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A path argument, shown in the report by a placeholder such as TREE."""

    path: Path
    name: str


@dataclass(frozen=True)
class Tree:
    """A folder of Python files to measure on; ``name`` also names its findings file."""

    name: str
    label: str
    path: Path

    @property
    def shown(self) -> Shown:
        return Shown(self.path, "TREE")

    def python_files(self) -> list[Path]:
        return sorted(p for p in self.path.rglob("*.py") if p.is_file())

    @cached_property
    def description(self) -> str:
        """``keras/src (770 files, 12.1 MB)``"""
        files = self.python_files()
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        return f"{self.label} ({len(files)} files, {megabytes:.1f} MB)"


def keras_sources() -> Path:
    """The installed keras package's ``src`` folder, found without importing keras."""
    spec = importlib.util.find_spec("keras")
    if spec is None or not spec.submodule_search_locations:
        raise Unavailable("keras is not installed: pass a TREE or pip install keras")
    return Path(list(spec.submodule_search_locations)[0]) / "src"


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def find_archive(folder: Path, requirement: str) -> Path | None:
    """The wheel or sdist of ``name==version`` in *folder*, however its name is spelled."""
    name, _, version = requirement.partition("==")
    prefix = _normalized(f"{name}-{version}") + "_"
    if not folder.is_dir():
        return None
    for path in sorted(folder.iterdir()):
        if path.name.endswith((".whl", ".tar.gz", ".zip")) and \
                _normalized(path.name).startswith(prefix):
            return path
    return None


def fetch_archives(requirements: Iterable[str], folder: Path) -> list[Path]:
    """Each pinned release's archive, downloaded with pip into *folder* unless already there."""
    requirements = list(requirements)
    missing = [r for r in requirements if find_archive(folder, r) is None]
    if missing:
        folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                   "--retries", "1", "--dest", str(folder), *missing]
        completed = subprocess.run(command, capture_output=True, text=True)
        if completed.returncode:
            lines = [line for line in completed.stderr.splitlines() if line.strip()]
            errors = [line for line in lines if line.startswith("ERROR")] or lines or ["?"]
            raise Unavailable(f"pip download {' '.join(missing)} failed: {errors[-1]}")
    archives = [find_archive(folder, r) for r in requirements]
    absent = [r for r, archive in zip(requirements, archives) if archive is None]
    if absent:
        raise Unavailable(f"pip download left no archive of {', '.join(absent)} in {folder}")
    return archives


def distribution_folder(archive: Path) -> str:
    """``keras_tcn-3.5.7`` for ``keras_tcn-3.5.7-py3-none-any.whl``; an sdist's own stem."""
    if archive.name.endswith(".whl"):
        return "-".join(archive.name.split("-")[:2])
    return archive.name.removesuffix(".tar.gz").removesuffix(".zip")


def archive_python_files(archive: Path) -> Iterator[tuple[PurePosixPath, bytes]]:
    """The ``.py`` files of a wheel (outside its metadata) or of an sdist (below its top
    folder), as (relative path, content). Absolute or ``..`` paths are skipped."""
    is_wheel = archive.name.endswith(".whl")
    if archive.name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as bundle:
            members = [(i.filename, i) for i in bundle.infolist() if not i.is_dir()]
            read = bundle.read
            yield from _python_members(members, read, strip_top=not is_wheel)
    else:
        with tarfile.open(archive, "r:*") as bundle:
            members = [(m.name, m) for m in bundle.getmembers() if m.isfile()]
            yield from _python_members(members, lambda m: bundle.extractfile(m).read(),
                                       strip_top=True)


def _python_members(members, read, strip_top: bool) -> Iterator[tuple[PurePosixPath, bytes]]:
    for name, member in members:
        path = PurePosixPath(name)
        if strip_top:
            path = PurePosixPath(*path.parts[1:]) if len(path.parts) > 1 else PurePosixPath()
        if path.suffix != ".py" or path.is_absolute() or ".." in path.parts:
            continue
        if path.parts[0].endswith((".dist-info", ".data")):
            continue
        yield path, read(member)


def assemble_tutorial_tree(target: Path, folders: dict[str, Path],
                           archives: Iterable[Path]) -> None:
    """Fill *target* (emptied first) with the ``.py`` files of each folder (under its key) and
    of each archive (under the distribution's name)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name, folder in folders.items():
        for source in sorted(folder.rglob("*.py")):
            if source.is_file():
                destination = target / name / source.relative_to(folder)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, destination)
    for archive in archives:
        base = target / distribution_folder(archive)
        for relative, data in archive_python_files(archive):
            destination = base.joinpath(*relative.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(data)


def tutorial_tree(work: Path) -> Tree:
    """The tutorial-style tree, assembled afresh (the downloads are reused)."""
    folders = {name: folder for name, folder in TUTORIAL_FOLDERS.items() if folder.is_dir()}
    if len(folders) < len(TUTORIAL_FOLDERS):
        raise Unavailable("corpus/ or benchmarks/realcode/ is missing: run the script from a "
                          "clone of the kcheck repository")
    archives = fetch_archives(TUTORIAL_RELEASES, work / "downloads")
    path = work / "tutorial"
    assemble_tutorial_tree(path, folders, archives)
    return Tree("tutorial", "tutorial tree", path)


# --- a module just under the size limit -------------------------------------------------------


def module_part(text: str) -> str | None:
    """*text* without its ``from __future__`` imports (which are only legal at the top of a
    module), ending in a newline; None when it does not parse, before or after."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    dropped: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            dropped.update(range(node.lineno - 1, node.end_lineno))
    lines = text.split("\n")
    part = "\n".join(line for number, line in enumerate(lines) if number not in dropped)
    part = part if part.endswith("\n") else part + "\n"
    try:
        ast.parse(part)
    except (SyntaxError, ValueError):
        return None
    return part


def build_large_module(texts: Iterable[str], limit: int, fill: float = 0.95) -> str:
    """One valid module of fewer than *limit* UTF-8 bytes, made of the parts of *texts* in
    order, each used once; a part that would cross the limit is passed over for later, smaller
    ones, so the module ends just under the limit. Raise Unavailable when the parts cannot fill
    *fill* of it (repeating them would measure a module of duplicates, not a real one)."""
    chunks = [LARGE_MODULE_HEADER]
    size = len(LARGE_MODULE_HEADER.encode())
    for part in filter(None, map(module_part, texts)):
        part_size = len(part.encode())
        if size + part_size < limit:
            chunks.append(part)
            size += part_size
    if size < fill * limit:
        raise Unavailable(f"the source files hold only {size:,} bytes that parse, too few "
                          f"for a module of {limit:,}")
    module = "".join(chunks)
    ast.parse(module)  # parts that parse alone parse together; this proves it
    return module


def read_texts(paths: Iterable[Path]) -> Iterator[str]:
    """The UTF-8 text of each file; others are left out."""
    for path in paths:
        try:
            yield path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue


def kcheck_size_limit() -> int:
    """kcheck's own limit, so the module is as large as kcheck still checks."""
    from kcheck.sources.python import MAX_BYTES

    return MAX_BYTES


# --- running and sampling processes -----------------------------------------------------------


@dataclass
class Run:
    """One finished process: wall time, exit status, the tail of its stderr, its ru_maxrss
    and, when sampled, the peak summed RSS and summed PSS of its process tree and the highest
    VmHWM of any one process in it (all in kB)."""

    seconds: float
    status: int
    stderr: str = ""
    tree_peak_kb: int = 0
    single_peak_kb: int = 0
    largest_hwm_kb: int = 0
    tree_pss_peak_kb: int = 0
    timed_out: bool = False


def resident_kb(pid: int) -> tuple[int, int]:
    """VmRSS and VmHWM (its peak) of a process in kB; zeros once it has exited."""
    found = {b"VmRSS:": 0, b"VmHWM:": 0}
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                key = line[:6]
                if key in found:
                    found[key] = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return found[b"VmRSS:"], found[b"VmHWM:"]


def proportional_kb(pid: int) -> int:
    """PSS of a process in kB (each page it shares counted by its share): forked workers
    share the parent's imported code and data, which summed RSS would count once per
    process. 0 when the kernel has no smaps_rollup or the process has exited."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
            for line in rollup:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _listed_children(pid: int) -> list[int]:
    children = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        try:
            children += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text()
                         .split()]
        except (OSError, ValueError):
            continue
    return children


def _children_by_parent(root: int) -> dict[int, list[int]]:
    """Parent to children, from /proc/*/stat, for kernels without the ``children`` files.
    Only pids above *root* are read (a descendant's pid is higher unless pids wrapped), which
    keeps each scan cheap on a machine being timed."""
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) <= root:
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_bytes()
            parent = int(stat.rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        tree.setdefault(parent, []).append(int(name))
    return tree


def kernel_lists_children() -> bool:
    return Path(f"/proc/self/task/{threading.get_native_id()}/children").exists()


def process_tree(root: int, listed: bool) -> list[int]:
    """*root* and all its descendants."""
    children: Callable[[int], list[int]]
    if listed:
        children = _listed_children
    else:
        by_parent = _children_by_parent(root)
        children = lambda pid: by_parent.get(pid, [])  # noqa: E731
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending += children(pid)
    return found


class TreeMemorySampler(threading.Thread):
    """Samples a process and its descendants until stopped: the peak of their summed RSS, and
    the highest peak RSS (VmHWM) of any one of them."""

    def __init__(self, pid: int, interval: float = SAMPLE_INTERVAL) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = self.largest_kb = self.pss_peak_kb = 0
        self.listed = kernel_lists_children()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            pids = process_tree(self.pid, self.listed)
            sizes = [resident_kb(pid) for pid in pids]
            self.peak_kb = max(self.peak_kb, sum(rss for rss, _ in sizes))
            self.largest_kb = max(self.largest_kb, *(peak for _, peak in sizes))
            self.pss_peak_kb = max(self.pss_peak_kb, sum(proportional_kb(pid) for pid in pids))
            self._stop_event.wait(self.interval)

    def stop(self) -> tuple[int, int, int]:
        self._stop_event.set()
        self.join()
        return self.peak_kb, self.largest_kb, self.pss_peak_kb


def memory_sampling_available() -> bool:
    return Path("/proc/self/status").exists() and hasattr(os, "wait4")


def _kill_group(group: int) -> None:
    try:
        os.killpg(group, signal.SIGKILL)
    except OSError:
        pass  # already gone


def run_once(command: list[str], cwd: Path, sample_memory: bool = False,
             timeout: float | None = None) -> Run:
    """Run *command* to its end with stdout discarded; time it from start to reaping. Past
    *timeout* seconds its whole process group is killed and the run marked timed out."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        # A process group of its own, so a timeout or Ctrl-C stops its workers too.
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors,
                                   start_new_session=True)
        expired = threading.Event()
        timer = threading.Timer(timeout, lambda: (expired.set(), _kill_group(process.pid)))
        sampler = TreeMemorySampler(process.pid) if sample_memory else None
        try:
            if timeout:
                timer.start()
            if sampler:
                sampler.start()
            # wait4 reaps the process and reports the largest ru_maxrss among it and the
            # children it reaped (its workers), which Popen.wait would not. By Linux's rules
            # that includes this script's own peak RSS when it started the command (the
            # forked copy's high-water mark survives exec), which is why VmHWM is sampled too.
            _, wait_status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C: stop the whole group, reap it, then stop
            _kill_group(process.pid)
            process.wait()
            if sampler and sampler.is_alive():
                sampler.stop()
            raise
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(wait_status)
        tree_peak, largest, pss_peak = sampler.stop() if sampler else (0, 0, 0)
        errors.seek(0)
        stderr = errors.read()[-3000:].decode(errors="replace")
    return Run(seconds, process.returncode, stderr, tree_peak, usage.ru_maxrss, largest,
               pss_peak, expired.is_set())


@dataclass
class Command:
    """A command line, how the report shows it, and which exit statuses mean it worked."""

    argv: list[str]
    shown: str
    ok: tuple[int, ...] = (0, 1)


def run_in_turns(commands: list[Command], runs: int, cwd: Path, sample_memory: bool = False,
                 timeout: float | None = None) -> list[list[Run]]:
    """Each command *runs* times, taking turns; raise Unavailable when one fails and TimedOut
    when one runs past *timeout* seconds."""
    results: list[list[Run]] = [[] for _ in commands]
    for _ in range(runs):
        for command, found in zip(commands, results):
            run = run_once(command.argv, cwd, sample_memory, timeout)
            if run.timed_out:
                raise TimedOut(f"`{command.shown}` did not finish within {timeout:g} s")
            if run.status not in command.ok:
                tail = run.stderr.strip().splitlines()[-3:]
                raise Unavailable(f"`{command.shown}` exited with {run.status}: "
                                  + " / ".join(tail))
            found.append(run)
    return results


def median_seconds(runs: list[Run]) -> float:
    return statistics.median(run.seconds for run in runs)


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A limit a measured value must stay at or under (strictly under when *strict*)."""

    limit: float
    unit: str
    strict: bool = False
    text: str = ""

    def met(self, value: float) -> bool:
        return value < self.limit if self.strict else value <= self.limit

    def __str__(self) -> str:
        return self.text or f"{'<' if self.strict else '<='} {self.limit:g}{self.unit}"


@dataclass
class Result:
    """One row of the report: what kcheck did, against what, and whether the target holds.
    *value* is None when the row was skipped; *note* then says why."""

    row: str
    work: str
    kcheck: str
    reference: str
    value: float | None
    target: Target
    note: str = ""
    details: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "skipped"
        return "PASS" if self.target.met(self.value) else "FAIL"

    @property
    def measured(self) -> str:
        if self.value is None:
            return "—"
        if self.value == math.inf:
            return "did not finish"
        if self.target.unit == "x":
            return f"{self.value:.2f}x"
        if self.target.unit == " differences":
            return "identical" if self.value == 0 else f"{self.value:g} differences"
        return f"{self.value:.{1 if self.value >= 10 else 2}f}{self.target.unit}"

    def line(self) -> str:
        if self.value is None:
            return f"skipped {self.row:8} {self.work}: {self.note}"
        against = f" vs {self.reference}" if self.reference else ""
        note = f" ({self.note})" if self.note else ""
        return "\n    ".join([f"{self.verdict:7} {self.row:8} {self.work}: {self.kcheck}{against}"
                               f" -> {self.measured}, target {self.target}{note}",
                               *self.details])


def skipped(row: str, work: str, target: Target, reason: str) -> Result:
    return Result(row, work, "", "", None, target, reason)


def unfinished(row: str, work: str, reason: str) -> Result:
    return Result(row, work, "", "", math.inf, TARGETS[row], reason)


def markdown_table(results: Iterable[Result]) -> str:
    """The results as a Markdown table for the README."""
    lines = ["| work | kcheck | reference | measured | target | result |",
             "| --- | --- | --- | --- | --- | --- |"]
    for result in results:
        cells = [result.work, result.kcheck, result.reference, result.measured,
                 str(result.target), result.verdict]
        if result.note and result.verdict != "PASS":
            cells[-1] += f": {result.note}"
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def exit_status(results: list[Result]) -> int:
    verdicts = {result.verdict for result in results}
    if "FAIL" in verdicts:
        return 1
    return 0 if "PASS" in verdicts else 2


# --- findings ---------------------------------------------------------------------------------

Finding = tuple[str, int, int, str, str, str]  # path, line, column, code, message, fix


def relative_to_tree(path: str, root: Path) -> str:
    """*path* relative to *root*; a path saved from a copy of the tree elsewhere is matched
    by its longest tail that exists under *root*."""
    candidate = Path(path)
    try:
        return candidate.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        pass
    parts = candidate.parts
    for start in range(1, len(parts)):
        tail = Path(*parts[start:])
        if (root / tail).exists():
            return tail.as_posix()
    return candidate.as_posix()


def fix_outcome(fix: object, path: Path) -> str:
    """A fix as what it does: its applicability, message and the file's text once its edits
    are applied (a digest), so that edits cut differently around the same change compare
    equal. Edits that cannot be applied (an error, a notebook cell) are compared as they are."""
    if not isinstance(fix, dict) or not isinstance(fix.get("edits"), list):
        return json.dumps(fix, sort_keys=True)
    edits = fix["edits"]
    if any("error" in edit or "cell" in edit for edit in edits):
        return json.dumps(fix, sort_keys=True)
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except (OSError, UnicodeDecodeError):
        return json.dumps(fix, sort_keys=True)
    for edit in sorted(edits, key=lambda e: e["location"]["row"], reverse=True):
        first, last = edit["location"]["row"] - 1, edit["end_location"]["row"] - 1
        lines[first:last] = edit["content"].splitlines(keepends=True)
    digest = hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()[:16]
    return json.dumps({"applicability": fix.get("applicability"),
                       "message": fix.get("message"), "fixed text": digest}, sort_keys=True)


def findings_of(data: object, root: Path) -> Counter[Finding]:
    """kcheck's ``--format json`` output as comparable findings."""
    if not isinstance(data, list):
        raise ValueError("not a JSON array of findings")
    found: Counter[Finding] = Counter()
    for item in data:
        path = relative_to_tree(item["path"], root)
        found[(path, int(item["line"]), int(item["column"]), str(item["code"]),
               str(item["message"]), fix_outcome(item.get("fix"), root / path))] += 1
    return found


def compare_findings(expected: Counter[Finding], actual: Counter[Finding],
                     names: tuple[str, str], limit: int = 10) -> list[str]:
    """The findings only one side has, as lines naming that side; empty when identical."""
    lines = []
    for name, only in ((names[0], expected - actual), (names[1], actual - expected)):
        for path, line, column, code, message, fix in sorted(only.elements()):
            shown = f" (fix: {fix})" if fix != "null" else ""
            lines.append(f"only {name}: {path}:{line}:{column}: {code} {message}{shown}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more"]
    return lines


# --- the rows ---------------------------------------------------------------------------------


@dataclass
class Bench:
    """What every row needs: the tools, the trees, where to work, how many runs."""

    runs: int
    work: Path
    trees: list[Tree]
    kcheck: list[str]
    ruff: str | None
    has_flake8: bool
    timeout: float | None = None
    commands: dict[str, str] = field(default_factory=dict)

    def tree(self, name: str) -> Tree | None:
        return next((tree for tree in self.trees if tree.name == name), None)

    def command(self, launcher: list[str], name: str, *arguments: str | Shown,
                ok: tuple[int, ...] = (0, 1)) -> Command:
        """A command shown as *name* and its arguments, a path by its placeholder; the exact
        command line is kept for the report."""
        argv = [*launcher, *(str(a.path) if isinstance(a, Shown) else a for a in arguments)]
        shown = shlex.join([name, *(a.name if isinstance(a, Shown) else a for a in arguments)])
        exact = shlex.join(SCRIPT_NAMES.get(argument, argument) for argument in argv)
        self.commands.setdefault(exact, shown)
        return Command(argv, shown, ok)

    def kcheck_command(self, *arguments: str | Shown, ok: tuple[int, ...] = (0, 1)) -> Command:
        return self.command(self.kcheck, "kcheck", *arguments, ok=ok)

    def flake8_command(self, select: str, tree: Tree, hide_kcheck: bool) -> Command:
        script = _FLAKE8_WITHOUT_KCHECK if hide_kcheck else _FLAKE8
        return self.command([sys.executable, "-c", script], "flake8", "--select", select, "-j",
                            JOBS, tree.shown)

    def run(self, commands: list[Command], sample_memory: bool = False,
            runs: int | None = None) -> list[list[Run]]:
        return run_in_turns(commands, runs or self.runs, self.work, sample_memory, self.timeout)



COLD_TARGET = Target(0.5, "x")
WARM_TARGET = Target(1.0, "x")
PLUGIN_TARGET = Target(1.3, "x")
MEMORY_TARGET = Target(300, " MB")
BIGFILE_TARGET = Target(3.0, " s", strict=True)
FINDINGS_TARGET = Target(0, " differences", text="identical")
TARGETS = {"cold": COLD_TARGET, "warm": WARM_TARGET, "plugin": PLUGIN_TARGET,
           "memory": MEMORY_TARGET, "bigfile": BIGFILE_TARGET, "findings": FINDINGS_TARGET}


def guarded(row: str, work: str, measurement: Callable[[], Result]) -> Result:
    """The measurement's result; a skipped row when it is unavailable, a failed one when a
    command ran past the timeout."""
    try:
        return measurement()
    except Unavailable as reason:
        return skipped(row, work, TARGETS[row], str(reason))
    except TimedOut as reason:
        return unfinished(row, work, str(reason))


WORK = {"cold": "{tree}, cold", "warm": "{label}, warm cache, nothing changed",
        "plugin": "{tree}, flake8 plugin", "memory": "{label}, peak memory with 2 jobs",
        "findings": "{label}: findings, default vs --full-parse"}


def work_of(row: str, tree: Tree) -> str:
    """The table's first cell for *row* on *tree*."""
    return WORK[row].format(tree=tree.description, label=tree.label)


def compare_times(bench: Bench, row: str, tree: Tree, mine: Command, theirs: Command) -> Result:
    """kcheck's median time over the reference's, both measured in turns."""
    runs = bench.run([mine, theirs])
    seconds, reference = median_seconds(runs[0]), median_seconds(runs[1])
    return Result(row, work_of(row, tree), f"`{mine.shown}` {seconds:.2f} s",
                  f"`{theirs.shown}` {reference:.2f} s", seconds / reference, TARGETS[row])


def cold_run(bench: Bench, tree: Tree) -> Result:
    if not bench.has_flake8:
        raise Unavailable("flake8 is not installed")
    # --exit-zero: 0, or 2 when a file of the tree cannot be checked (reported, not fatal)
    mine = bench.kcheck_command("--no-cache", "-j", JOBS, "--exit-zero", tree.shown,
                                ok=(0, 2))
    theirs = bench.flake8_command("F", tree, hide_kcheck=True)
    return compare_times(bench, "cold", tree, mine, theirs)


def warm_run(bench: Bench, tree: Tree) -> Result:
    if bench.ruff is None:
        raise Unavailable("ruff is not installed")
    cache = Path(tempfile.mkdtemp(prefix="warm-cache-", dir=bench.work))
    try:
        mine = bench.kcheck_command("--cache-dir", Shown(cache, "D"), "-j", JOBS,
                                    tree.shown, ok=(0, 1, 2, 3))
        theirs = bench.command([bench.ruff], "ruff", "check", "--select", "F", "--no-cache",
                               "-q", tree.shown)
        bench.run([mine], runs=1)  # primes the cache
        return compare_times(bench, "warm", tree, mine, theirs)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def plugin_run(bench: Bench, tree: Tree) -> Result:
    if not bench.has_flake8:
        raise Unavailable("flake8 is not installed")
    mine = bench.flake8_command("KS", tree, hide_kcheck=False)
    theirs = bench.flake8_command("F", tree, hide_kcheck=True)
    return compare_times(bench, "plugin", tree, mine, theirs)


def _megabytes(kilobytes: int) -> float:
    return kilobytes * 1024 / 1e6


def memory_run(bench: Bench, tree: Tree) -> Result:
    if not memory_sampling_available():
        raise Unavailable("sampling memory needs Linux's /proc and wait4")
    command = bench.kcheck_command("--no-cache", "-j", JOBS, "--exit-zero", tree.shown,
                                   ok=(0, 2))
    runs = bench.run([command], sample_memory=True)[0]
    summed = _megabytes(max(run.tree_peak_kb for run in runs))
    proportional = _megabytes(max(run.tree_pss_peak_kb for run in runs))
    largest = _megabytes(max(run.largest_hwm_kb for run in runs))
    maxrss = _megabytes(max(run.single_peak_kb for run in runs))
    if proportional:  # the memory the run takes: pages the workers share counted once
        return Result("memory", work_of("memory", tree),
                      f"`{command.shown}`: peak PSS summed over its processes; summed RSS "
                      f"{summed:.0f} MB (it counts the pages forked workers share with the "
                      f"parent once per process), the largest single process {largest:.0f} MB "
                      f"(VmHWM), ru_maxrss {maxrss:.0f} MB", "", proportional, MEMORY_TARGET)
    return Result("memory", work_of("memory", tree),
                  f"`{command.shown}`: peak RSS summed over its processes (no smaps_rollup "
                  f"for PSS); the largest single process {largest:.0f} MB (VmHWM), ru_maxrss "
                  f"{maxrss:.0f} MB", "", summed, MEMORY_TARGET)


def large_module_tree(bench: Bench, source: Tree) -> Tree:
    """A folder holding one module just under kcheck's size limit, made from *source*'s files
    (written afresh: the bigfile row times it, the findings row checks it)."""
    module = build_large_module(read_texts(source.python_files()), kcheck_size_limit())
    path = bench.work / "large-module" / "large_module.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(module, encoding="utf-8")
    return Tree("large-module", f"one 2 MB file from the {source.label}", path.parent)


def large_module_run(bench: Bench, source: Tree) -> Result:
    limit = kcheck_size_limit()
    path = large_module_tree(bench, source).path / "large_module.py"
    work = f"one {path.stat().st_size:,}-byte file (limit {limit:,}) from the {source.label}"
    command = bench.kcheck_command("--no-cache", "--exit-zero", Shown(path, "FILE"), ok=(0,))
    try:
        # Not sampled: reading a large process's memory maps every 20 ms slowed it by 10-30 %
        # here. One file is checked in one process, whose peak wait4 reports (ru_maxrss).
        runs = bench.run([command])[0]
    except TimedOut as reason:
        return unfinished("bigfile", work, str(reason))
    peak = f", peak RSS {_megabytes(max(r.single_peak_kb for r in runs)):.0f} MB"
    return Result("bigfile", work, f"`{command.shown}`{peak}", "",
                  median_seconds(runs), BIGFILE_TARGET)


def kcheck_findings(bench: Bench, tree: Tree, *extra: str) -> list:
    """kcheck's JSON findings on *tree*; Unavailable when kcheck refuses the options."""
    command = bench.kcheck_command("--no-cache", "-j", JOBS, "--exit-zero", "--format", "json",
                                   *extra, tree.shown)
    try:
        completed = subprocess.run(command.argv, cwd=bench.work, capture_output=True,
                                   text=True, timeout=bench.timeout)
    except subprocess.TimeoutExpired:
        raise TimedOut(f"`{command.shown}` did not finish within {bench.timeout:g} s") from None
    if completed.returncode == 2 and "usage:" in completed.stderr:
        message = completed.stderr.strip().splitlines()[-1]
        raise Unavailable(f"this kcheck does not accept it ({message})")
    try:
        return json.loads(completed.stdout)
    except json.JSONDecodeError:
        tail = " / ".join(completed.stderr.strip().splitlines()[-3:])
        raise Unavailable(f"`{command.shown}` printed no JSON (exit "
                          f"{completed.returncode}): {tail}") from None


def findings_result(work: str, reference: str, expected: Counter[Finding],
                    actual: Counter[Finding], names: tuple[str, str]) -> Result:
    """Identical findings pass; the differences are listed under the row."""
    differences = compare_findings(expected, actual, names)
    count = sum(((expected - actual) + (actual - expected)).values())
    return Result("findings", work, f"{sum(actual.values())} findings", reference, count,
                  FINDINGS_TARGET, details=differences)


def baseline_result(tree: Tree, saved: Path, findings: Counter[Finding]) -> Result:
    work = f"{tree.label}: findings, now vs {saved.name}"
    try:
        expected = findings_of(json.loads(saved.read_text(encoding="utf-8")), tree.path)
    except FileNotFoundError:
        return skipped("findings", work, FINDINGS_TARGET, f"no {saved}")
    except (OSError, ValueError, KeyError, TypeError) as error:
        return skipped("findings", work, FINDINGS_TARGET, f"{saved} is unreadable: {error}")
    return findings_result(work, f"`{saved}`", expected, findings, (f"in {saved.name}", "now"))


def findings_runs(bench: Bench, tree: Tree, baseline_dir: Path | None,
                  save_dir: Path | None) -> Iterator[Result]:
    work = work_of("findings", tree)
    try:
        normal = kcheck_findings(bench, tree)
    except Unavailable as reason:
        yield skipped("findings", work, FINDINGS_TARGET, str(reason))
        return
    except TimedOut as reason:
        yield unfinished("findings", work, str(reason))
        return
    findings = findings_of(normal, tree.path)
    if save_dir:
        save_dir.mkdir(parents=True, exist_ok=True)
        (save_dir / f"{tree.name}.json").write_text(json.dumps(normal, indent=2) + "\n")

    def full_parse() -> Result:
        whole = findings_of(kcheck_findings(bench, tree, "--full-parse"), tree.path)
        return findings_result(work, "`--full-parse`", whole, findings,
                               ("with --full-parse", "by default"))

    yield guarded("findings", work, full_parse)
    if baseline_dir:
        yield baseline_result(tree, baseline_dir / f"{tree.name}.json", findings)


def measure(bench: Bench, rows: list[str], baseline_dir: Path | None = None,
            save_dir: Path | None = None) -> Iterator[Result]:
    """Every selected row's results, in ROWS order, each as soon as it is measured."""
    keras = bench.tree("keras")
    for row in ROWS:
        if row not in rows:
            continue
        if row in ("cold", "plugin"):
            run = cold_run if row == "cold" else plugin_run
            for tree in bench.trees:
                yield guarded(row, work_of(row, tree),
                              lambda tree=tree, run=run: run(bench, tree))
        elif row in ("warm", "memory") and keras:
            run = warm_run if row == "warm" else memory_run
            yield guarded(row, work_of(row, keras), lambda run=run: run(bench, keras))
        elif row == "bigfile":
            source = bench.tree("tutorial") or keras
            if source:
                yield guarded(row, f"a 2 MB file from the {source.label}",
                              lambda source=source: large_module_run(bench, source))
        elif row == "findings":
            for tree in bench.trees:
                yield from findings_runs(bench, tree, baseline_dir, save_dir)
            # Left-out bodies of a module holding every kind of code at once (the large one)
            # must not change its findings either.
            source = bench.tree("tutorial") or keras
            if source:
                try:
                    large = large_module_tree(bench, source)
                except (OSError, Unavailable) as error:
                    yield skipped("findings", "the large module", FINDINGS_TARGET, str(error))
                else:
                    saved = baseline_dir if baseline_dir and \
                        (baseline_dir / f"{large.name}.json").is_file() else None
                    yield from findings_runs(bench, large, saved, save_dir)


# --- the report -------------------------------------------------------------------------------


def version_of(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine_description() -> list[str]:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = ", " + line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", load average " + " ".join(f"{x:.2f}" for x in os.getloadavg()) \
        if hasattr(os, "getloadavg") else ""
    tools = ", ".join(f"{name} {version_of(name)}"
                      for name in ("kcheck", "libcst", "flake8", "pyflakes", "ruff", "keras"))
    spec = importlib.util.find_spec("kcheck")
    origin = Path(spec.origin).parent if spec and spec.origin else "nowhere: not importable"
    return [f"machine: {cores} cores ({usable} usable){model}{load}",
            f"python: {platform.python_implementation()} {platform.python_version()} "
            f"({sys.executable}) on {platform.platform()}",
            f"tools: {tools}; kcheck imported from {origin}"]


def byte_compile(package: Path) -> str:
    """Byte-compile *package*'s modules where their cached bytecode is missing or stale, as pip
    does when it installs a package: an editable install run with PYTHONDONTWRITEBYTECODE set
    (as on the machines this repository is developed on) would otherwise compile every changed
    module again in every process timed. Returns a note for the report."""
    if not os.access(package, os.W_OK):
        return f"kcheck's modules at {package} are not writable: run as installed"
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet):
        done = compileall.compile_dir(package, quiet=1)
    return f"kcheck's modules byte-compiled first, as pip does at install ({package})" \
        if done else f"kcheck's modules at {package} could not all be byte-compiled"


def tool_path(name: str) -> str | None:
    """The console script installed beside this interpreter, else the one on PATH."""
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else shutil.which(name)


def make_trees(args, work: Path, notes: list[str]) -> list[Tree]:
    trees = []
    if "keras" in args.trees:
        try:
            path = args.tree.resolve() if args.tree else keras_sources()
            if not path.is_dir():
                raise Unavailable(f"{path} is not a folder")
            label = "keras/src" if args.tree is None else str(args.tree)
            trees.append(Tree("keras", label, path))
        except Unavailable as reason:
            notes.append(f"keras tree skipped: {reason}")
    if "tutorial" in args.trees:
        try:
            trees.append(tutorial_tree(work))
        except Unavailable as reason:
            notes.append(f"tutorial tree skipped: {reason}")
    return trees


def _names(choices: tuple[str, ...]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",") if name.strip()]
        unknown = [name for name in names if name not in choices]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"unknown name {', '.join(unknown) or text!r}; choose from {', '.join(choices)}")
        return names
    return parse


def parse_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="See the module docstring (or README, section Speed) for what each row measures.")
    parser.add_argument("tree", nargs="?", type=Path, default=None, metavar="TREE",
                        help="measure this folder instead of the installed keras/src")
    parser.add_argument("--runs", type=int, default=3, metavar="N",
                        help="runs of each command; the median is reported (default 3)")
    parser.add_argument("--only", type=_names(ROWS), default=list(ROWS), metavar="ROWS",
                        help=f"comma-separated rows to measure: {', '.join(ROWS)}")
    parser.add_argument("--trees", type=_names(TREES), default=list(TREES), metavar="TREES",
                        help="comma-separated trees: keras, tutorial (default both)")
    parser.add_argument("--work", type=Path, default=None, metavar="DIR",
                        help="downloads, the tutorial tree and caches go here (default: "
                             "kcheck-static-speed in the system temp dir)")
    parser.add_argument("--timeout", type=float, default=600, metavar="SECONDS",
                        help="stop a command after this long; its row fails (default 600)")
    parser.add_argument("--baseline-dir", type=Path, default=None, metavar="DIR",
                        help="compare findings with DIR/keras.json and DIR/tutorial.json")
    parser.add_argument("--save-findings", type=Path, default=None, metavar="DIR",
                        help="write this run's JSON findings to DIR/keras.json, tutorial.json")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def print_commands(commands: dict[str, str]) -> None:
    """Each command as shown in the table and exactly as run."""
    print("\ncommands, each as shown and as run:")
    for exact, shown in commands.items():
        print(f"  {shown}\n      {exact}")
    used = [(name, script) for script, name in SCRIPT_NAMES.items()
            if any(name in exact for exact in commands)]
    for name, script in used:
        print(f"  where {name} is:" + "".join(f"\n      {line}"
                                              for line in script.strip().splitlines()))


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    work = (args.work or Path(tempfile.gettempdir()) / "kcheck-static-speed").resolve()
    work.mkdir(parents=True, exist_ok=True)
    print("\n".join(machine_description()))
    notes: list[str] = []
    spec = importlib.util.find_spec("kcheck")
    if spec is not None and spec.origin:
        notes.append(byte_compile(Path(spec.origin).parent))
    trees = make_trees(args, work, notes)
    kcheck = tool_path("kcheck")
    bench = Bench(args.runs, work, trees, [kcheck] if kcheck else [sys.executable, "-m", "kcheck"],
                  tool_path("ruff"), importlib.util.find_spec("flake8") is not None,
                  args.timeout)
    for note in notes:
        print(note)
    for tree in trees:
        print(f"tree {tree.name}: {tree.description} at {tree.path}")
    if not trees:
        print("no tree to measure")
        return 2
    print(f"median of {args.runs} run(s) per command, commands taking turns, from {work}\n")
    results = []
    for result in measure(bench, args.only, args.baseline_dir, args.save_findings):
        print(result.line(), flush=True)
        results.append(result)
    print_commands(bench.commands)
    print("\n" + markdown_table(results))
    return exit_status(results)


if __name__ == "__main__":
    sys.exit(main())
