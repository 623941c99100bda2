"""Check files: parse each once, extract facts once, run every enabled rule over them."""

from __future__ import annotations

import ast
import functools
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
from collections.abc import Sequence
from pathlib import Path

from libcst.metadata import MetadataWrapper, PositionProvider

from kcheck.engine.batch import check_paths  # noqa: F401 - its home was here
from kcheck.engine.cache import read_stamped
from kcheck.engine.fix_description import describe_fix, module_lines
from kcheck.engine.noqa import is_suppressed
from kcheck.engine.options import Options
from kcheck.engine.positions import finding_positions
from kcheck.engine.prefilter import might_use_keras
from kcheck.engine.selection import Selection
from kcheck.engine.violation import FILE_ERROR_CODE, FileReport, Violation
from kcheck.facts.outline import scan_module
from kcheck.facts.project import Project
from kcheck.facts.registrations import find_registrations
from kcheck.facts.relevance import reduced_source
from kcheck.facts.subjects import enclosing_keras_layer_call
from kcheck.fixes.edits import fixes_built
from kcheck.rules import Context, Finding
from kcheck.sources.notebook import NotebookModule, decode_notebook, is_notebook, read_notebook
from kcheck.sources.parsing import ParseFailure, parse_python, run_deep
from kcheck.sources.python import SourceError, decode_source, read_bytes, read_source

# Below this many files, forking workers costs more than it saves.
_PARALLEL_THRESHOLD = 8


def check_source(path: Path, text: str, options: Options, project: Project | None = None,
                 syntax: ast.Module | None = None, record: bool = False) -> FileReport:
    """Check one file's text. Never raises for bad input: errors become a KS000 violation.
    *syntax* is ``ast.parse(text)`` when the caller has it (flake8 hands its plugins one).
    With *record*, a report without error carries the files its findings depended on."""
    project = project if project is not None else Project()
    report = _check_source(path, text, options, project, syntax=syntax)
    if record and report.error is None:
        module = project.module(path)  # the checked module, until end_check
        report.dependencies = frozenset(project.dependencies(module) if module is not None
                                        else ())
    project.end_check(path)
    return report


def _check_source(path: Path, text: str, options: Options,
                  project: Project | None = None, fixes: list | None = None,
                  syntax: ast.Module | None = None) -> FileReport:
    try:
        return run_deep(_check_parsed, path, text, options, project, fixes, syntax)
    except RecursionError:
        return _file_error(FileReport(str(path)), "too deeply nested for kcheck to check; "
                                                  "not checked")
    except MemoryError:
        return _file_error(FileReport(str(path)), "ran out of memory while checking; "
                                                  "not checked")


def _check_parsed(path: Path, text: str, options: Options,
                  project: Project | None = None, fixes: list | None = None,
                  syntax: ast.Module | None = None) -> FileReport:
    """Check one text. With *fixes*, append ``(violation, fix, tree, positions)`` for every
    reported finding that carries a fix (kcheck.engine.fixing applies them)."""
    display = str(path)
    report = FileReport(display)
    rules = [rule() for rule in _selected_rules(options.selection)
             if rule.applies_to(options.target)]
    if not rules:
        return report
    notebook: NotebookModule | None = None
    if is_notebook(path):
        try:
            notebook = read_notebook(text)
        except SourceError as error:
            return _file_error(report, str(error))
        text, syntax = notebook.text, None
    project = project if project is not None else Project()
    if not might_use_keras(text, project.module_name(path)[1]):
        return report
    reduce = None
    whole_file: list[tuple] = []  # what a reduced tree lacks: (assignments, import table)
    if fixes is None and not options.full_parse:  # a fix rewrites the tree: it needs all of it
        def reduce(syntax):
            scan = scan_module(syntax)  # dropped on return: it holds on to CPython's tree
            reduced = reduced_source(text, syntax, scan, path, project, options.extra_decorators)
            whole_file.append((scan.assignments, project.outline_of(path, syntax).facts.imports))
            return reduced
    try:
        parsed = parse_python(text, reduce, syntax)
    except ParseFailure as error:
        return _file_error(report, _not_python(path, error.message), error.line, error.column,
                           notebook)
    tree, statement_starts, members = parsed.tree, parsed.lines, parsed.members
    assignments, imports = whole_file[0] if parsed.reduced else (None, None)
    del parsed, syntax
    if tree is None:
        return report  # the cheap pass showed nothing any rule reads
    module = project.begin_check(path, tree, assignments, imports, text)
    context = Context(project, module,
                      find_registrations(project, module, options.extra_decorators),
                      options.keras_version,
                      {"registration_package": options.registration_package},
                      keras_target=options.target)
    findings: list[Finding] = []
    keras_classes = project.keras_classes(module)
    with fixes_built(options.fixes):
        for rule in rules:
            findings.extend(rule.check_module(context))
            for cls in keras_classes:
                findings.extend(rule.check_class(cls, context))
    if not findings:
        return report
    if fixes is not None:
        positions = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
    else:
        positions = finding_positions(tree, statement_starts, [f.node for f in findings],
                                      members)
    lines = text.splitlines()
    # A fix's edits are diffs against the tree's code: worked out once, and only when printed.
    original = module_lines(tree) \
        if options.fix_edits and any(f.fix is not None for f in findings) else None

    severities = {rule.code: rule.severity for rule in rules}
    for finding in findings:
        start = positions[finding.node].start
        line_text = lines[start.line - 1] if start.line <= len(lines) else ""
        if is_suppressed(line_text, finding.code):
            continue
        subject = finding.subject
        if finding.class_name is None and subject is None:
            call = enclosing_keras_layer_call(project, module, finding.node)
            subject = f"{call[0]}\t{call[1]}" if call is not None else None
        line, cell = start.line, None
        if notebook is not None:
            cell, line = notebook.position(start.line)
        violation = Violation(display, line, start.column + 1, finding.code,
                              finding.message, finding.class_name,
                              severities.get(finding.code, "error"), subject=subject,
                              fix=_in_cells(describe_fix(finding.fix, tree, options.fix_edits,
                                                         original), notebook),
                              cell=cell)
        report.violations.append(violation)
        if fixes is not None and finding.fix is not None:
            fixes.append((violation, finding.fix, tree, positions))
    report.violations.sort(key=Violation.sort_key)
    return report


@functools.lru_cache(maxsize=16)
def _selected_rules(selection: Selection) -> tuple[type, ...]:
    """The rules *selection* switches on, worked out once per selection, not once per file."""
    return tuple(selection.rules())


def _in_cells(fix: dict | None, notebook: NotebookModule | None) -> dict | None:
    """A fix's edits with notebook positions, as ruff gives them: rows counted in the cell
    the fix changes, and that ``cell`` on each edit. An edit at a cell boundary belongs to the
    cell the write-back puts it in (a method appended to a class in one cell, a decorator put
    on a class that opens the next)."""
    if fix is None or notebook is None:
        return fix
    edits = [edit for edit in fix.get("edits", []) if "location" in edit]
    lines = notebook.text.splitlines(keepends=True)
    for edit in sorted(edits, key=lambda e: e["location"]["row"], reverse=True):
        lines[edit["location"]["row"] - 1:edit["end_location"]["row"] - 1] = [edit["content"]]
    changed = notebook.changed_sources("".join(lines))
    cells = {cell.index: cell for cell in notebook.cells}
    only = cells.get(next(iter(changed))) if len(changed) == 1 else None
    for edit in edits:
        row = edit["location"]["row"]
        cell = only or notebook.cell_of(row) or notebook.cells[-1]
        edit["cell"] = cell.number
        for key in ("location", "end_location"):
            edit[key]["row"] = max(edit[key]["row"] - cell.first_line + 1, 1)
    return fix


def _not_python(path: Path, reason: str) -> str:
    """A file named on the command line that is neither Python nor a notebook says so."""
    if path.suffix in ("", ".py", ".pyi", ".pyw") or is_notebook(path):
        return reason
    return f"neither Python nor a Jupyter notebook ({reason}); not checked"


def _file_error(report: FileReport, message: str, line: int = 1, column: int = 1,
                notebook: NotebookModule | None = None) -> FileReport:
    report.error = message
    cell = None
    if notebook is not None:
        cell, line = notebook.position(line)
    report.violations.append(Violation(report.path, max(line, 1), max(column, 1),
                                       FILE_ERROR_CODE, message, severity="error", cell=cell))
    return report


def decode_file(path: Path, data: bytes) -> str:
    """The text of a file kcheck checks: a notebook's JSON, or Python source."""
    return decode_notebook(data) if is_notebook(path) else decode_source(data)


def read_file(path: Path) -> str:
    """Read one file kcheck checks (only a regular file is read: a FIFO cannot block a run);
    SourceError with the reason when it cannot be read or decoded."""
    if not is_notebook(path):
        return read_source(path)
    try:
        data = read_bytes(path)
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror or error}") from None
    return decode_notebook(data)


def file_error_report(path: str, message: str) -> FileReport:
    """A report for a file that could not be checked at all (KS000)."""
    return _file_error(FileReport(path), message)


def check_file(path: Path, options: Options, project: Project | None = None,
               record: bool = False) -> FileReport:
    """Read and check one file. With *record*, a report without error also carries what the
    result cache keeps: the stamp of the bytes checked and the files the findings depended on
    (the caller's process writes the cache; see kcheck.engine.batch)."""
    stamp = None
    try:
        if record:
            stamp, data = read_stamped(path)
            text = decode_file(path, data)
        else:
            text = read_file(path)
    except SourceError as error:
        return _file_error(FileReport(str(path)), str(error))
    report = check_source(path, text, options, project, record=record)
    if record and report.error is None:
        report.stamp = stamp
    return report


def _serve(connection, options: Options, record: bool) -> None:
    """A worker process: check the paths it is sent, one at a time, until it is sent None."""
    gc.disable()  # short-lived workers; collection pauses cost more than the memory
    project = Project()
    try:
        while True:
            path = connection.recv()
            if path is None:
                return
            connection.send(check_file(path, options, project, record))
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the parent is gone or interrupted: it reports what it has


def _death(process) -> str:
    code = process.exitcode
    if code is not None and code < 0:
        try:
            how = f"killed by {signal.Signals(-code).name}"
        except ValueError:
            how = f"killed by signal {-code}"
    else:
        how = f"exited with code {code}"
    return (f"kcheck's worker process {how} while checking this file (a crash in the parser, "
            "or out of memory); not checked")


def _check_in_workers(paths: list[Path], options: Options, record: bool,
                      jobs: int) -> list[FileReport]:
    """Check *paths* in forked worker processes, one file per message.

    Each worker is sent its next file only when it has answered, so the parent always knows
    which file a worker was checking: a worker that dies (a native crash, the OOM killer)
    costs that file a KS000 and is replaced, and the other files are still checked.
    """
    context = multiprocessing.get_context("fork")
    pending = list(reversed(paths))
    reports: list[FileReport] = []
    busy: dict = {}  # connection -> (process, path)

    def start_worker():
        parent_end, child_end = context.Pipe()
        process = context.Process(target=_serve, args=(child_end, options, record), daemon=True)
        process.start()
        child_end.close()
        return parent_end, process

    def hand_out(connection, process) -> None:
        """Send the next file, or tell the worker to stop; a dead worker gets no file."""
        while pending:
            path = pending.pop()
            try:
                connection.send(path)
            except OSError:  # it died after its last answer: not this file's doing
                pending.append(path)
                connection.close()
                process.join()
                connection, process = start_worker()
                continue
            busy[connection] = (process, path)
            return
        try:
            connection.send(None)
        except OSError:
            pass
        connection.close()
        process.join()

    try:
        for _ in range(min(jobs, len(paths))):
            hand_out(*start_worker())
        while busy:
            sentinels = {process.sentinel: connection
                         for connection, (process, _) in busy.items()}
            for ready in multiprocessing.connection.wait([*busy, *sentinels]):
                connection = sentinels.get(ready, ready)
                if connection not in busy:
                    continue  # its answer and its sentinel were both ready
                process, path = busy.pop(connection)
                try:
                    reports.append(connection.recv())
                except (EOFError, OSError):
                    connection.close()
                    process.join()
                    reports.append(file_error_report(str(path), _death(process)))
                    if pending:
                        hand_out(*start_worker())
                    continue
                hand_out(connection, process)
    finally:
        for connection, (process, _) in busy.items():
            process.kill()
            process.join()
            connection.close()
    return reports


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def check_many(paths: Sequence[Path], options: Options, jobs: int | None = None,
               record: bool = False) -> list[FileReport]:
    """Check many files, in parallel across cores when there are enough of them (*record*: see
    check_file). Largest files go first so one slow file does not finish last on its own.
    Reports come back in the order of *paths*; kcheck.engine.check_paths adds the cache."""
    jobs = jobs or os.cpu_count() or 1
    reports: list[FileReport] = []
    ordered = sorted(paths, key=_size, reverse=True)
    if jobs <= 1 or len(ordered) < _PARALLEL_THRESHOLD or "fork" not in \
            multiprocessing.get_all_start_methods():
        project = Project()
        collecting = gc.isenabled()
        gc.disable()  # libcst trees are large object graphs: collection pauses cost ~35%
        try:
            reports.extend(check_file(path, options, project, record) for path in ordered)
        finally:
            if collecting:
                gc.enable()
    else:
        reports.extend(_check_in_workers(ordered, options, record, jobs))
    order = {str(path): index for index, path in enumerate(paths)}
    reports.sort(key=lambda report: order.get(report.path, 0))
    return reports
