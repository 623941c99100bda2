"""The ``kcheck`` command.

Imports stay light at the top: a run whose files are all answered from the cache needs only
the configuration, file discovery, the cache and the output formats. The checker (libcst, the
rules), the fixer and the verifier are imported where they are used.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from kcheck import __version__
from kcheck.config import Config, ConfigError, config_for, keras_target_argument, load_config
from kcheck.engine.batch import check_paths
from kcheck.engine.cache import DEFAULT_DIRECTORY as DEFAULT_CACHE_DIRECTORY
from kcheck.engine.files import discover
from kcheck.engine.fix_policy import FixPolicy
from kcheck.engine.options import Options
from kcheck.engine.rule_table import RULES
from kcheck.engine.selection import Selection, SelectionError
from kcheck.engine.violation import FileReport, Violation
from kcheck.formats import FORMATS, Output, use_colour
from kcheck.sources.python import SourceError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from kcheck.engine.fixing import AppliedFix, FixResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERRORS = 0, 1, 2


def _codes(value: str) -> tuple[str, ...]:
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


def _names(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def build_parser() -> argparse.ArgumentParser:
    rules = "\n".join(f"  {code}  {name}: {summary}" + ("" if on else " (off by default)")
                      for code, name, on, summary in RULES)
    parser = argparse.ArgumentParser(
        prog="kcheck",
        description="Find Keras serialization mistakes before load_model does.",
        epilog=f"rules:\n{rules}\n\nAlso: `kcheck rules` lists the rules, `kcheck rule KS101` "
               "explains one.\nExit status: 0 clean, 1 findings, 2 errors, 3 both.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders to check (default: .); - reads standard input")
    parser.add_argument("--select", type=_codes, default=None, metavar="CODES",
                        help="comma-separated codes or prefixes to report (default: the "
                             "default rule set)")
    parser.add_argument("--extend-select", type=_codes, default=None, metavar="CODES",
                        help="codes or prefixes to report in addition to the selection")
    parser.add_argument("--ignore", type=_codes, default=None, metavar="CODES",
                        help="codes or prefixes not to report")
    parser.add_argument("--exclude", type=_names, default=None, metavar="GLOBS",
                        help="comma-separated globs of files and folders to skip, even when "
                             "named on the command line")
    parser.add_argument("--extra-registration-decorators", type=_names, default=None,
                        metavar="NAMES", help="dotted names of your own decorators that "
                                              "register classes with Keras")
    parser.add_argument("--keras-version", type=int, choices=(2, 3), default=None,
                        help="Keras semantics to check against (default: 3, which includes "
                             "tf.keras in TensorFlow >= 2.16)")
    parser.add_argument("--target-keras", type=keras_target_argument, default=None,
                        metavar="VERSION",
                        help="the Keras release to check for, e.g. 3.3: rules whose mistake "
                             "breaks only in some releases follow it (default: the installed "
                             "keras, else the newest)")
    parser.add_argument("--config", type=Path, default=None, metavar="PYPROJECT",
                        help="use this pyproject.toml's [tool.kcheck] for every file instead "
                             "of the nearest one above each file")
    parser.add_argument("--isolated", action="store_true",
                        help="ignore all configuration files")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text",
                        help="output format (default: text)")
    parser.add_argument("--show-source", action="store_true",
                        help="show the offending line under each finding (text format)")
    parser.add_argument("--statistics", action="store_true",
                        help="print how many findings each code had (to standard error for "
                             "json, sarif and github, which must stay parseable)")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="colour the text output (default: auto: on a terminal, unless "
                             "NO_COLOR is set; FORCE_COLOR forces it)")
    parser.add_argument("--stdin-filename", default=None, metavar="PATH",
                        help="with -, the file name to report, to find the configuration by "
                             "and to resolve imports of the same tree from")
    parser.add_argument("--no-default-path", action="store_true",
                        help="with no PATH, check nothing and exit 0 instead of checking . "
                             "(used by the pre-commit hooks)")
    parser.add_argument("-j", "--jobs", type=int, default=None,
                        help="worker processes (default: number of cores)")
    parser.add_argument("--no-cache", action="store_true",
                        help="check every file even when the cache has its findings")
    parser.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                        help="where findings of unchanged files are cached (default: "
                             "$KCHECK_CACHE_DIR or .kcheck_cache in the current folder)")
    parser.add_argument("--full-parse", action="store_true",
                        help="parse every file whole with libcst, as kcheck 0.1 did, instead of "
                             "leaving out the function bodies no rule reads: slower, same "
                             "findings (for checking the fast path)")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when findings are reported")
    parser.add_argument("--verify", action="store_true",
                        help="prove each finding: build the class, save it to .keras, reload "
                             "it in a fresh process and compare (needs kcheck[verify])")
    parser.add_argument("--verify-timeout", type=float, default=None, metavar="SECONDS",
                        help="time limit per verified class (default: 60)")
    parser.add_argument("--verify-import", action="store_true",
                        help="import modules normally when verifying, running their top-level "
                             "code (default: execute only imports and definitions)")
    parser.add_argument("--fix", action="store_true",
                        help="repair what can be repaired safely and report what is left; with "
                             "- read standard input and write the fixed source to standard output")
    parser.add_argument("--unsafe-fixes", action="store_true", default=None,
                        help="also apply unsafe fixes (they guess intent or change behaviour)")
    parser.add_argument("--no-unsafe-fixes", action="store_false", dest="unsafe_fixes",
                        help="do not apply unsafe fixes, whatever [tool.kcheck] says")
    parser.add_argument("--diff", action="store_true",
                        help="print a unified diff of what --fix would change and write nothing "
                             "(exit 1 when there is a change, 0 when none)")
    parser.add_argument("--show-fixes", action="store_true",
                        help="list every fix made (with --fix) after the remaining findings")
    parser.add_argument("--fixable", type=_codes, default=None, metavar="CODES",
                        help="codes or prefixes that --fix may repair (default: all)")
    parser.add_argument("--unfixable", type=_codes, default=None, metavar="CODES",
                        help="codes or prefixes that --fix leaves alone")
    parser.add_argument("--version", action="version", version=f"kcheck {__version__}")
    return parser


def _run_subcommand(argv: Sequence[str]) -> int | None:
    """``kcheck rules`` and ``kcheck rule CODE``, unless a path of that name exists."""
    if not argv or Path(argv[0]).exists():
        return None
    if argv[0] not in ("rules", "rule"):
        return None
    from kcheck.rules import RULES_BY_CODE
    from kcheck.rules.docs import explain_rule, rules_table

    if argv[0] == "rules" and len(argv) == 1:
        sys.stdout.write(rules_table())
        return EXIT_CLEAN
    if argv[0] == "rule" and len(argv) == 2:
        rule = RULES_BY_CODE.get(argv[1].upper())
        if rule is None:
            sys.stderr.write(f"kcheck: no rule {argv[1]!r}; `kcheck rules` lists them\n")
            return EXIT_ERRORS
        sys.stdout.write(explain_rule(rule))
        return EXIT_CLEAN
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    code = _run_subcommand(argv)
    if code is not None:
        return code
    parser = build_parser()
    args = parser.parse_args(argv)
    selection = Selection(args.select, args.extend_select or (), args.ignore or ())
    try:
        selection.validate()
    except SelectionError as error:
        parser.error(str(error))
    if args.keras_version is not None and args.target_keras is not None and \
            args.target_keras[0] != args.keras_version:
        parser.error(f"--target-keras {'.'.join(map(str, args.target_keras))} is not Keras "
                     f"{args.keras_version} (--keras-version); give one of the two")
    if args.stdin_filename is not None and args.paths != ["-"]:
        parser.error("--stdin-filename goes with - (read the file from standard input)")
    if "-" in args.paths and len(args.paths) > 1:
        parser.error("- (standard input) cannot be combined with other paths")
    if args.verify and args.paths == ["-"]:
        parser.error("--verify needs the files on disk; it cannot verify standard input")
    for name, value in (("--fixable", args.fixable), ("--unfixable", args.unfixable)):
        try:
            Selection(select=value).validate()
        except SelectionError as error:
            parser.error(str(error).replace("--select", name))
    if not args.paths:
        if args.no_default_path:
            return EXIT_CLEAN  # pre-commit found no files for us: nothing to check
        args.paths = ["."]
    if args.fix or args.diff:
        try:
            return run_fix(args, _Settings(args))
        except ConfigError as error:
            sys.stderr.write(f"kcheck: {error}\n")
            return EXIT_ERRORS
    try:
        settings = _Settings(args)
        output = Output(show_source=args.show_source,
                        colour=args.format == "text" and use_colour(sys.stdout, args.color))
        if args.paths == ["-"]:
            reports, missing = [_check_stdin(args, settings, output)], []
        else:
            reports, missing = _check_files(args, settings)
    except ConfigError as error:
        sys.stderr.write(f"kcheck: {error}\n")
        return EXIT_ERRORS
    for message in missing:
        sys.stderr.write(f"kcheck: {message}\n")
    violations = [v for report in reports for v in report.violations]
    args.examples = settings.examples()
    if args.verify_timeout is None:
        args.verify_timeout = settings.verify_timeout()
    findings = [v for v in violations if not v.is_file_error]
    errors = [v for v in violations if v.is_file_error]
    if args.verify and findings:
        from kcheck.verify.availability import VerifierUnavailable

        try:
            run_verification(findings, args)
        except VerifierUnavailable as error:
            sys.stderr.write(f"kcheck: {error}\n")
            return EXIT_ERRORS
    summary = None
    output.fixable = settings.marks_fix
    if args.format == "text" and violations:
        summary = _summary(findings, errors)
        fixable = fixable_summary(findings, settings)
        if fixable:
            summary += "\n" + fixable
        if args.verify and findings:
            from kcheck.engine.verification import summarize

            summary += "\n" + summarize(findings)
    output.summary = summary
    sys.stdout.write(FORMATS[args.format](violations, output))
    if args.statistics:
        stream = sys.stdout if args.format == "text" else sys.stderr
        stream.write(_statistics(violations))
    status = 0
    if findings and not args.exit_zero:
        status |= EXIT_FINDINGS
    if errors or missing:
        status |= EXIT_ERRORS
    return status


def run_verification(findings, args) -> None:
    """Run the verifier over the findings, with a progress bar on a terminal."""
    from kcheck.engine.verification import verify_violations

    declared = getattr(args, "examples", None) or {}
    mode = "import" if args.verify_import else "strip"
    show = args.format == "text" and sys.stderr.isatty()
    if not show:
        verify_violations(findings, timeout=args.verify_timeout, jobs=args.jobs,
                          declared=declared, import_mode=mode)
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("verifying", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        verify_violations(findings, timeout=args.verify_timeout, jobs=args.jobs,
                          declared=declared, import_mode=mode, progress=progress)


class _Settings:
    """The configuration of each checked file, with the command line's flags on top."""

    def __init__(self, args) -> None:
        self.args = args
        self.fixed = None
        if args.config is not None:
            self.fixed = load_config(args.config)
        elif args.isolated:
            self.fixed = Config()
        self.used: dict[Config, Config] = {}
        self._by_folder: dict[str, Config] = {}

    def for_path(self, path: str | Path) -> Config:
        # Discovery asks for each file and folder, grouping for each file again: the answer
        # is looked up once per folder (a file's is its folder's).
        key = os.path.abspath(path)
        folder = key if os.path.isdir(key) else os.path.dirname(key)
        merged = self._by_folder.get(folder)
        if merged is None:
            merged = self._by_folder[folder] = self._merged(
                self.fixed if self.fixed is not None else config_for(folder))
        return merged

    def _merged(self, base: Config) -> Config:
        merged = self.used.get(base)
        if merged is None:
            args = self.args
            merged = base.override(
                select=args.select, extend_select=args.extend_select, ignore=args.ignore,
                exclude=args.exclude,
                extra_registration_decorators=args.extra_registration_decorators,
            ).with_keras_flags(args.keras_version, args.target_keras)
            self.used[base] = merged
        return merged

    def examples(self) -> dict[str, str]:
        merged: dict[str, str] = {}
        for config in self.used.values():
            merged.update(config.example_constructors)
        return merged

    def fix_policy(self, path: str | Path, unsafe: bool | None = None) -> FixPolicy:
        """What --fix may apply to *path*: [tool.kcheck] keys, command-line flags on top."""
        config = self.for_path(path)
        args = self.args
        if unsafe is None:
            unsafe = args.unsafe_fixes if args.unsafe_fixes is not None else \
                bool(config.unsafe_fixes)
        return FixPolicy(unsafe=unsafe,
                         fixable=args.fixable if args.fixable is not None else config.fixable,
                         unfixable=args.unfixable if args.unfixable is not None
                         else config.unfixable)

    def marks_fix(self, violation) -> bool:
        """The ``[*]`` mark: --fix (with the current unsafe setting) would repair it."""
        return self.fix_policy(violation.path).applies_to(violation)

    def verify_timeout(self) -> float:
        timeouts = [c.verify_timeout for c in self.used.values() if c.verify_timeout]
        return max(timeouts, default=60.0)


def _drop_ignored(report: FileReport, config: Config) -> FileReport:
    """Apply ``per-file-ignores``; noqa comments were already honoured by the engine."""
    report.violations = [v for v in report.violations if config.reports(report.path, v.code)]
    return report


def _cache_dir(args) -> Path | None:
    if args.no_cache:
        return None
    return args.cache_dir or Path(os.environ.get("KCHECK_CACHE_DIR") or DEFAULT_CACHE_DIRECTORY)


def _engine_options(args, config: Config) -> Options:
    """The engine's options for a check: the file's config, plus how much to parse and whether
    the output format prints each fix's edits (only json and sarif do; text and github do not)."""
    return replace(config.engine_options(), full_parse=args.full_parse,
                   fix_edits=args.format in ("json", "sarif"))


def _check_files(args, settings: _Settings) -> tuple[list[FileReport], list[str]]:
    def excluded(path: Path) -> bool:
        return settings.for_path(path).is_excluded(path)

    files, missing = discover(args.paths, excluded)
    groups: dict[Config, list[Path]] = {}
    for path in files:
        groups.setdefault(settings.for_path(path), []).append(path)
    reports = []
    for config, paths in groups.items():
        for report in check_paths(paths, _engine_options(args, config), args.jobs,
                                  _cache_dir(args)):
            reports.append(_drop_ignored(report, config))
    order = {str(path): index for index, path in enumerate(files)}
    reports.sort(key=lambda report: order.get(report.path, 0))
    return reports, missing


def _check_stdin(args, settings: _Settings, output: Output) -> FileReport:
    """``kcheck - --stdin-filename path``: the name is used for display, config and imports."""
    from kcheck.engine.checker import check_source, decode_file, file_error_report
    from kcheck.sources.notebook import is_notebook, read_notebook

    display = args.stdin_filename or "-"
    path = Path(args.stdin_filename or "stdin.py")
    config = settings.for_path(path)
    if args.stdin_filename and config.is_excluded(path):
        return FileReport(display)
    try:
        text = decode_file(path, sys.stdin.buffer.read())
    except SourceError as error:
        return file_error_report(display, str(error))
    if is_notebook(path):
        try:
            output.notebooks[display] = read_notebook(text)
        except SourceError:
            output.notebooks[display] = None  # the check reports why
    output.sources[display] = text.splitlines()
    report = check_source(path, text, _engine_options(args, config))
    for violation in report.violations:
        violation.path = display
    report.path = display
    return _drop_ignored(report, config) if args.stdin_filename else report


def _statistics(violations) -> str:
    counts = Counter(v.code for v in violations)
    names = {code: name for code, name, *_ in RULES}
    return "".join(f"{count:>5}  {code}  {names.get(code, 'file-not-checked')}\n"
                   for code, count in sorted(counts.items()))


def fixable_summary(findings, settings: _Settings) -> str:
    """``[*] 3 fixable with the --fix option (2 hidden fixes can be enabled with the
    --unsafe-fixes option).`` as ruff words it; empty when nothing is fixable."""
    now = hidden = 0
    for violation in findings:
        if violation.fix is None:
            continue
        policy = settings.fix_policy(violation.path)
        if policy.applies_to(violation):
            now += 1
        elif policy.allows_code(violation.code) and not policy.unsafe:
            hidden += 1
    parts = []
    if now:
        parts.append(f"[*] {now} fixable with the `--fix` option")
    if hidden:
        what = f"{hidden} hidden fix{'es' * (hidden != 1)} can be enabled with the " \
               "`--unsafe-fixes` option"
        parts.append(f"({what})" if now else what[0].upper() + what[1:])
    return (" ".join(parts) + ".") if parts else ""


def _summary(findings, errors) -> str:
    parts = []
    if findings:
        files = len({v.path for v in findings})
        parts.append(f"Found {len(findings)} finding{'s' * (len(findings) != 1)} "
                     f"in {files} file{'s' * (files != 1)}.")
    if errors:
        parts.append(f"{len(errors)} file{'s' * (len(errors) != 1)} could not be checked.")
    return " ".join(parts)


# -- --fix, --diff ---------------------------------------------------------------------------

_STATUS_WORDS = {"applied": "fixed", "verified": "fixed (verified: {detail})",
                 "unverified": "{state} (unverified: {detail})",
                 "not-applied": "not fixed (not applied: {detail})",
                 "failed": "not fixed (the fix failed: {detail})"}


def _fix_line(path: str, fix: AppliedFix) -> str:
    template = _STATUS_WORDS[fix.status]
    state = "fixed" if fix.detail.startswith("applied") else "not fixed"
    detail = fix.detail.split(" (", 1)[1][:-1] if fix.status == "unverified" and " (" in \
        fix.detail else fix.detail
    if fix.status == "unverified" and state == "not fixed":
        detail = "an unsafe fix is written only when verified; " + detail
    cell = f"cell {fix.cell}:" if fix.cell is not None else ""
    return f"{path}:{cell}{fix.line}:{fix.column}: {fix.code} " + \
        template.format(detail=detail, state=state) + f" - {fix.message}"


def _fix_one(args, settings: _Settings, path: Path, text: str, display: str,
             skip=()) -> FixResult:
    from kcheck.engine.fixing import fix_text

    config = settings.for_path(path)
    result = fix_text(path, text, config.engine_options(), settings.fix_policy(path), skip,
                      display)
    if result.report is not None:
        _drop_ignored(result.report, config)
    return result


def _fix_stdin(args, settings: _Settings) -> int:
    from kcheck.engine.checker import decode_file

    display = args.stdin_filename or "-"
    path = Path(args.stdin_filename or "stdin.py")
    config = settings.for_path(path)
    data = sys.stdin.buffer.read()
    try:
        text = decode_file(path, data)
    except SourceError as error:
        sys.stdout.buffer.write(data)  # an editor must get its text back unchanged
        sys.stderr.write(f"{display}: {error}\n")
        return EXIT_ERRORS
    if args.stdin_filename and config.is_excluded(path):
        sys.stdout.write(text if not args.diff else "")
        return EXIT_CLEAN
    result = _fix_one(args, settings, path, text, display)
    if args.diff:
        sys.stdout.write(_unified_diff(display, result))
        return EXIT_FINDINGS if result.changed else EXIT_CLEAN
    sys.stdout.write(result.fixed)
    left = result.report.violations if result.report else []
    if left:
        sys.stderr.write(FORMATS["text"](left, Output()))
    for fix in result.failed:
        sys.stderr.write(_fix_line(display, fix) + "\n")
    status = EXIT_FINDINGS if left and not args.exit_zero else EXIT_CLEAN
    if any(v.is_file_error for v in left):
        status |= EXIT_ERRORS
    return status


def _unified_diff(display: str, result: FixResult) -> str:
    import difflib

    from kcheck.sources.notebook import is_notebook

    if not result.changed:
        return ""
    if is_notebook(display) or is_notebook(result.path):
        return _notebook_diff(display, result)
    lines = difflib.unified_diff(result.original.splitlines(keepends=True),
                                 result.fixed.splitlines(keepends=True),
                                 fromfile=display, tofile=display)
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)
    return text


def _notebook_diff(display: str, result: FixResult) -> str:
    """One diff per changed cell, headed ``path:cell N`` as ruff shows notebooks."""
    import difflib

    from kcheck.sources.notebook import read_notebook

    try:
        before, after = read_notebook(result.original), read_notebook(result.fixed)
    except SourceError:
        return ""
    new = {cell.index: cell.source for cell in after.cells}
    text = ""
    for cell in before.cells:
        if new.get(cell.index, cell.source) == cell.source:
            continue
        label = f"{display}:cell {cell.number}"
        lines = difflib.unified_diff((cell.source + "\n").splitlines(keepends=True),
                                     (new[cell.index] + "\n").splitlines(keepends=True),
                                     fromfile=label, tofile=label)
        text += "".join(lines)
    return text


def run_fix(args, settings: _Settings) -> int:
    """``--fix`` and ``--diff``: fix every file, verify the fixes with ``--verify``, write them
    (``--fix``) or print the diff (``--diff``), and report what is left."""
    from kcheck.engine.checker import decode_file, file_error_report
    from kcheck.engine.writing import write_fixed

    if args.paths == ["-"]:
        return _fix_stdin(args, settings)

    def excluded(path: Path) -> bool:
        return settings.for_path(path).is_excluded(path)

    files, missing = discover(args.paths, excluded)
    for message in missing:
        sys.stderr.write(f"kcheck: {message}\n")
    results: list[FixResult] = []
    originals: dict[str, bytes] = {}
    errors: list = []
    for path in files:
        try:
            data = path.read_bytes()
            text = decode_file(path, data)
        except (OSError, SourceError) as error:
            reason = str(error) if isinstance(error, SourceError) else \
                f"cannot read file: {error.strerror or error}"
            errors.extend(file_error_report(str(path), reason).violations)
            continue
        originals[str(path)] = data
        results.append(_fix_one(args, settings, path, text, str(path)))
    if args.verify:
        from kcheck.engine.fix_verification import verify_fixes
        from kcheck.verify.availability import VerifierUnavailable

        args.examples = settings.examples()
        timeout = args.verify_timeout or settings.verify_timeout()
        try:
            skip = verify_fixes(results, timeout=timeout, jobs=args.jobs,
                                declared=args.examples,
                                import_mode="import" if args.verify_import else "strip")
        except VerifierUnavailable as error:
            sys.stderr.write(f"kcheck: {error}\n")
            return EXIT_ERRORS
        for index, result in enumerate(results):
            dropped = {key for path, key in skip if path == result.path}
            if dropped:
                redone = _fix_one(args, settings, Path(result.path), result.original,
                                  result.path, dropped)
                statuses = {fix.key: (fix.status, fix.detail) for fix in result.applied}
                for fix in redone.applied:
                    fix.status, fix.detail = statuses.get(fix.key, (fix.status, fix.detail))
                redone.failed = result.failed + [fix for fix in result.applied
                                                 if fix.key in dropped]
                results[index] = redone
    if args.diff:
        diffs = "".join(_unified_diff(r.path, r) for r in results)
        sys.stdout.write(diffs)
        count = sum(len(r.applied) for r in results if r.changed)
        if count:
            sys.stderr.write(f"Would fix {count} finding{'s' * (count != 1)}.\n")
        status = EXIT_FINDINGS if diffs else EXIT_CLEAN
        return status | (EXIT_ERRORS if errors or missing else 0)
    write_errors = []
    for result in results:
        if not result.changed:
            continue
        try:
            write_fixed(Path(result.path), result.fixed, originals[result.path])
        except (OSError, UnicodeEncodeError) as error:
            write_errors.extend(file_error_report(
                result.path, f"cannot write the fixed file: {error}").violations)
    left = [v for r in results if r.report for v in r.report.violations] + errors + write_errors
    findings = [v for v in left if not v.is_file_error]
    file_errors = [v for v in left if v.is_file_error]
    output = Output(show_source=args.show_source,
                    colour=args.format == "text" and use_colour(sys.stdout, args.color))
    output.fixable = settings.marks_fix
    fixed = sum(1 for r in results for f in r.applied if r.changed)
    # A fix that failed (it broke the module, or its finding survived it) is always reported.
    failed = [_fix_line(r.path, fix) for r in results for fix in r.failed
              if fix.status == "failed"]
    if failed and args.format != "text":
        sys.stderr.write("".join(line + "\n" for line in failed))
    if args.format == "text":
        lines = []
        for result in results:
            for fix in result.applied if result.changed else []:
                if args.show_fixes or args.verify:
                    lines.append(_fix_line(result.path, fix))
            for fix in result.failed:
                if args.show_fixes or args.verify or fix.status == "failed":
                    lines.append(_fix_line(result.path, fix))
        summary = []
        if findings or fixed:
            summary.append(f"Found {len(findings) + fixed} finding"
                           f"{'s' * (len(findings) + fixed != 1)} ({fixed} fixed, "
                           f"{len(findings)} remaining).")
        if file_errors:
            summary.append(f"{len(file_errors)} file{'s' * (len(file_errors) != 1)} could not "
                           "be checked or written.")
        # after --verify, what is still marked fixable is what the round trip refused
        hint = "" if args.verify else fixable_summary(findings, settings)
        output.summary = "\n".join([*lines, " ".join(summary), *([hint] if hint else [])]) \
            if lines or summary else None
    sys.stdout.write(FORMATS[args.format](sorted(left, key=Violation.sort_key), output))
    if args.statistics:
        stream = sys.stdout if args.format == "text" else sys.stderr
        stream.write(_statistics(left))
    status = EXIT_FINDINGS if findings and not args.exit_zero else EXIT_CLEAN
    if file_errors or missing:
        status |= EXIT_ERRORS
    return status


if __name__ == "__main__":
    sys.exit(main())
