"""The ``kcheck`` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kcheck import __version__
from kcheck.engine import Options, check_paths
from kcheck.files import discover
from kcheck.formats import FORMATS
from kcheck.rule_docs import render_rule_doc, rules_table
from kcheck.rules import ALL_RULES, RULES_BY_CODE
from kcheck.selection import Selection, SelectionError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERRORS = 0, 1, 2


def _codes(value: str) -> tuple[str, ...]:
    return tuple(part.strip().upper() for part in value.split(",") if part.strip())


def build_parser() -> argparse.ArgumentParser:
    rules = "\n".join(f"  {rule.code}  {rule.name}: {rule.summary}"
                      + ("" if rule.default_enabled else " (off by default)")
                      for rule in ALL_RULES)
    parser = argparse.ArgumentParser(
        prog="kcheck",
        description="Find Keras serialization mistakes before load_model does.",
        epilog=f"rules:\n{rules}\n\nAlso: `kcheck rules` lists the rules, `kcheck rule KS101` "
               "explains one.\nExit status: 0 clean, 1 findings, 2 errors, 3 both.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                        help="files or folders to check (default: .)")
    parser.add_argument("--select", type=_codes, default=None, metavar="CODES",
                        help="comma-separated codes or prefixes to report (default: the "
                             "default rule set)")
    parser.add_argument("--extend-select", type=_codes, default=(), metavar="CODES",
                        help="codes or prefixes to report in addition to the selection")
    parser.add_argument("--ignore", type=_codes, default=(), metavar="CODES",
                        help="codes or prefixes not to report")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text",
                        help="output format (default: text)")
    parser.add_argument("--keras-version", type=int, choices=(2, 3), default=3,
                        help="Keras semantics to check against (default: 3, which includes "
                             "tf.keras in TensorFlow >= 2.16)")
    parser.add_argument("-j", "--jobs", type=int, default=None,
                        help="worker processes (default: number of cores)")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when findings are reported")
    parser.add_argument("--version", action="version", version=f"kcheck {__version__}")
    return parser


def _run_subcommand(argv: Sequence[str]) -> int | None:
    """``kcheck rules`` and ``kcheck rule CODE``, unless a path of that name exists."""
    if not argv or Path(argv[0]).exists():
        return None
    if argv[0] == "rules" and len(argv) == 1:
        sys.stdout.write(rules_table())
        return EXIT_CLEAN
    if argv[0] == "rule" and len(argv) == 2:
        rule = RULES_BY_CODE.get(argv[1].upper())
        if rule is None:
            sys.stderr.write(f"kcheck: no rule {argv[1]!r}; `kcheck rules` lists them\n")
            return EXIT_ERRORS
        sys.stdout.write(render_rule_doc(rule))
        return EXIT_CLEAN
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    code = _run_subcommand(argv)
    if code is not None:
        return code
    parser = build_parser()
    args = parser.parse_args(argv)
    selection = Selection(args.select, args.extend_select, args.ignore)
    try:
        selection.validate()
    except SelectionError as error:
        parser.error(str(error))
    options = Options(selection=selection, keras_version=args.keras_version)
    files, missing = discover(args.paths)
    for message in missing:
        sys.stderr.write(f"kcheck: {message}\n")
    reports = check_paths(files, options, args.jobs)
    violations = [v for report in reports for v in report.violations]
    findings = [v for v in violations if not v.is_file_error]
    errors = [v for v in violations if v.is_file_error]
    summary = None
    if args.format == "text" and violations:
        summary = _summary(findings, errors)
    sys.stdout.write(FORMATS[args.format](violations, summary))
    status = 0
    if findings and not args.exit_zero:
        status |= EXIT_FINDINGS
    if errors or missing:
        status |= EXIT_ERRORS
    return status


def _summary(findings, errors) -> str:
    parts = []
    if findings:
        files = len({v.path for v in findings})
        parts.append(f"Found {len(findings)} finding{'s' * (len(findings) != 1)} "
                     f"in {files} file{'s' * (files != 1)}.")
    if errors:
        parts.append(f"{len(errors)} file{'s' * (len(errors) != 1)} could not be checked.")
    return " ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
