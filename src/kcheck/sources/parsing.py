"""Python text to a libcst tree, without letting deeply nested code crash kcheck.

libcst's native parser recurses on the C stack (about 6 kB per level of parentheses, 1 kB per
``and`` of a chain), so a deep expression overflows the 8 MB main-thread stack and kills the
process with SIGSEGV; its Python code (``MetadataWrapper``, code generation) recurses once or
more per tree level and raises RecursionError on a few hundred ``+ 1``. Measured with libcst
1.9 on CPython 3.11:

- ``(`` x 1,300 kills the process; in a thread with a 16 MB stack it parses.
- ``1`` + `` + 1`` x 350: positions raise RecursionError at the default limit; with a deep
  stack and a raised limit, ``+ 1`` x 2,000 parses in 0.9 s and positions take 0.2 s.
- ``a`` + `` and b`` x 330,000 (a 2 MB file, the size limit) parses and resolves positions in a
  512 MB stack (77 s); ``-`` x 20,000 made libcst allocate more than 8 GB.

So every check runs in a thread with a deep stack and a raised recursion limit
(:func:`run_deep`), and CPython's own parser sees the text first (:func:`parse_module`): it is
about a tenth of libcst's parse time (1.9 s against 18.6 s for keras/src's 770 files), gives
exact syntax-error positions, and refuses what a stock interpreter refuses (more than 200
nested brackets, about 3,000 levels of any other nesting), which bounds what libcst is given.
"""

from __future__ import annotations

import ast
import os
import queue
import re
import sys
import threading
import tokenize
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from typing import TypeVar

import libcst as cst

DEEP_STACK_BYTES = 512 * 1024 * 1024  # virtual: only the pages a deep file touches are used
DEEP_RECURSION_LIMIT = 200_000  # about 2.6 kB of that stack per Python frame
# Files CPython rejects are still given to libcst (they may use a newer Python's syntax) when
# they stay within CPython's own nesting limits, estimated from their tokens.
_MAX_BRACKETS = 200
_MAX_OPERATORS_PER_LINE = 1_000
_MAX_ELIFS = 2_900
_DEPTH_MESSAGES = ("too many nested parentheses", "too complex", "too many statically nested")
_LIBCST_POSITION = re.compile(r"error at (\d+):(\d+)")

T = TypeVar("T")
_state = threading.local()
_start_lock = threading.Lock()


class ParseFailure(Exception):
    """A file that cannot be parsed: *message* is fit for the user, *line*/*column* 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, max(line, 1), max(column, 1)


class _DeepThread:
    """One long-lived thread with a deep stack that runs what :func:`run_deep` hands it.

    Starting a thread per file cost about 5 ms a file (measured: 5.5 s against 3.3 s for 420
    files), so the thread stays; a forked child starts its own, since threads do not survive
    a fork.
    """

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.depth_limit = DEEP_RECURSION_LIMIT
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        for size in (DEEP_STACK_BYTES, DEEP_STACK_BYTES // 4, DEEP_STACK_BYTES // 16):
            try:  # a smaller stack when memory is short: still far deeper than the main one
                previous = threading.stack_size(size)
            except (ValueError, RuntimeError):
                continue
            try:
                thread = threading.Thread(target=self._serve, name="kcheck-deep", daemon=True)
                thread.start()
                self._thread = thread
                self.depth_limit = DEEP_RECURSION_LIMIT * size // DEEP_STACK_BYTES
                break
            except (RuntimeError, MemoryError):
                continue
            finally:
                threading.stack_size(previous)

    @property
    def usable(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _serve(self) -> None:
        _state.deep = True
        while True:
            function, args, outer_limit, outcome, done = self._jobs.get()
            _state.outer_limit = outer_limit
            try:
                outcome["value"] = function(*args)
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
                outcome["error"] = error
            finally:
                del function, args  # what the job held must not outlive it
                done.set()

    def run(self, function: Callable[..., T], args: tuple, outer_limit: int) -> T:
        outcome: dict = {}
        done = threading.Event()
        self._jobs.put((function, args, outer_limit, outcome, done))
        done.wait()
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]


_deep: _DeepThread | None = None


def run_deep(function: Callable[..., T], *args) -> T:
    """``function(*args)`` in a thread with a deep stack and a raised recursion limit.

    Nested calls run directly. The caller's thread waits; the recursion limit is the
    interpreter's, so it is raised (before the deep thread starts the job) only while the job
    runs and restored afterwards. When no such thread can be started (a small address-space
    limit), it runs in place.
    """
    global _deep
    if getattr(_state, "deep", False):
        return function(*args)
    with _start_lock:  # one job at a time: the recursion limit is shared by all threads
        if _deep is None or _deep.pid != os.getpid() or not _deep.usable:
            _deep = _DeepThread()
        deep = _deep
        if not deep.usable:
            return function(*args)
        outer_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(outer_limit, deep.depth_limit))
        try:
            return deep.run(function, args, outer_limit)
        finally:
            sys.setrecursionlimit(outer_limit)


def _cpython_parse(text: str) -> ast.Module | SyntaxError | RecursionError:
    """CPython's tree of *text*, or what a stock interpreter says against it."""
    limit = sys.getrecursionlimit()
    stock = getattr(_state, "outer_limit", limit)
    try:
        sys.setrecursionlimit(stock)  # CPython's nesting limit follows the recursion limit
    except RecursionError:
        pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes and the like: not ours to report
            return ast.parse(text)
    except (SyntaxError, RecursionError) as error:
        return error
    except (ValueError, MemoryError, OverflowError) as error:
        return SyntaxError(str(error) or type(error).__name__)
    finally:
        sys.setrecursionlimit(limit)


def cpython_tree(text: str) -> ast.Module | None:
    """CPython's tree of *text*, or None when a stock interpreter refuses it."""
    verdict = _cpython_parse(text)
    return verdict if isinstance(verdict, ast.Module) else None


def _within_cpython_limits(text: str) -> bool:
    """A token-level estimate of nesting, for text CPython rejected for another reason."""
    brackets = operators = elifs = 0
    try:
        for token in tokenize.generate_tokens(StringIO(text).readline):
            if token.type == tokenize.OP:
                if token.string in "([{":
                    brackets += 1
                    if brackets > _MAX_BRACKETS:
                        return False
                elif token.string in ")]}":
                    brackets -= 1
                elif token.string not in (",", ";", ":"):
                    operators += 1
                    if operators > _MAX_OPERATORS_PER_LINE:
                        return False
            elif token.type == tokenize.NEWLINE:
                operators = 0
            elif token.type == tokenize.NAME and token.string in ("elif", "and", "or", "not",
                                                                   "if", "else", "lambda"):
                operators += 1
                if token.string == "elif":
                    elifs += 1
                if operators > _MAX_OPERATORS_PER_LINE or elifs > _MAX_ELIFS:
                    return False
    except Exception:  # noqa: BLE001 - an estimate: text it cannot read is not vouched for
        return False
    return True


def _libcst_position(error: cst.ParserSyntaxError) -> tuple[int, int]:
    # libcst's raw_line can be one line late; its message carries the right place.
    found = _LIBCST_POSITION.search(error.message)
    if found:
        return int(found.group(1)), int(found.group(2))
    return error.editor_line, error.editor_column


@dataclass
class Parsed:
    """A parsed text: its libcst tree, the line of each of CPython's top-level statements and
    of the statements of their bodies when CPython accepts the text (:func:`statement_lines`,
    :func:`member_lines`), and whether libcst was given a
    *reduced* text (see :func:`parse_python`). CPython's tree itself is not kept: with the libcst
    tree it would about double the memory a large file takes."""

    tree: cst.Module | None  # None: *reduce* found nothing worth parsing
    lines: list[int] | None
    reduced: bool = False
    members: dict[int, list[tuple[int, bool]]] | None = None  # :func:`member_lines`


def statement_lines(syntax: ast.Module) -> list[int]:
    """The line of each of CPython's top-level statements: of its keyword (``def``, ``class``,
    ``if``...; not of its decorators), or of its first token. libcst's PositionProvider starts
    a statement on the same line."""
    return [node.lineno for node in syntax.body]


# Statements that hold statements.
COMPOUND_STATEMENTS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.If, ast.For,
                       ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try,
                       getattr(ast, "TryStar", ast.Try), ast.Match)


def member_lines(syntax: ast.Module) -> dict[int, list[tuple[int, bool]]]:
    """For each top-level statement with a body (by its index), the line of each statement of
    that body (``def``/``class`` keyword, not decorator) and whether it is compound: enough for
    kcheck.engine.positions to place a finding in one method without generating the code of
    the whole class. One tuple per member of the top-level statements only, so cheap."""
    members = {}
    for index, node in enumerate(syntax.body):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            members[index] = [(member.lineno, isinstance(member, COMPOUND_STATEMENTS))
                              for member in body]
    return members


def _validate_nothing(node: cst.CSTNode) -> None:
    return None


def _libcst_parse(text: str) -> cst.Module:
    """``libcst.parse_module`` without the check every node runs on itself when it is built.

    That check (``CSTNode._validate``, through ``__post_init__``) guards trees built by hand;
    the parser only builds trees it has just read from valid text, and the check is about a
    fifth of the parse (measured: 2.87 s against 2.36 s for 224 files, 3.1 MB). It is skipped
    for the parse only: the deep thread is the only one building nodes meanwhile, and fixes,
    which build nodes later, are checked as usual.
    """
    base = cst.CSTNode
    original = base.__dict__.get("__post_init__")
    if original is None:  # another libcst: parse as it likes
        return cst.parse_module(text)
    base.__post_init__ = _validate_nothing
    try:
        return cst.parse_module(text)
    finally:
        base.__post_init__ = original


def _parse(text: str, reduce: Callable[[ast.Module], str | None] | None = None,
           syntax: ast.Module | None = None) -> Parsed:
    verdict = syntax if syntax is not None else _cpython_parse(text)
    if isinstance(verdict, RecursionError):
        raise ParseFailure("too deeply nested for Python to compile (maximum recursion depth "
                           "exceeded); not checked")
    if isinstance(verdict, SyntaxError):
        line, column = verdict.lineno or 1, verdict.offset or 1
        message = f"syntax error: {verdict.msg}"
        if any(text in verdict.msg for text in _DEPTH_MESSAGES) or \
                not _within_cpython_limits(text):
            raise ParseFailure(message, line, column)
        try:  # perhaps a newer Python's syntax, which libcst knows
            return Parsed(_libcst_parse(text), None)
        except (cst.ParserSyntaxError, RecursionError, MemoryError):
            raise ParseFailure(message, line, column) from None
    lines = statement_lines(verdict)
    reduced = reduce(verdict) if reduce is not None else None
    if reduced == "":
        return Parsed(None, lines, True)  # nothing in it can matter: libcst need not see it
    members = member_lines(verdict)
    del verdict, syntax  # let CPython's tree go before libcst builds its own
    if reduced is not None:
        try:
            return Parsed(_libcst_parse(reduced), lines, True, members)
        except (cst.ParserSyntaxError, RecursionError, MemoryError):
            pass  # the whole text says why, below
    try:
        return Parsed(_libcst_parse(text), lines, members=members)
    except cst.ParserSyntaxError as error:
        line, column = _libcst_position(error)
        raise ParseFailure("Python accepts this file but libcst, kcheck's parser, does not; "
                           "not checked", line, column) from None
    except (RecursionError, MemoryError):
        raise ParseFailure("too deeply nested for kcheck to parse; not checked") from None


def parse_module(text: str) -> cst.Module:
    """Parse *text* with libcst in a deep stack; raise :class:`ParseFailure` when it cannot be.

    A syntax error is CPython's message at CPython's position. Text CPython accepts but libcst
    does not (``(x): int = 1``) is reported as kcheck's limitation, not the file's.
    """
    return run_deep(_parse, text).tree


def parse_python(text: str, reduce: Callable[[ast.Module], str | None] | None = None,
                 syntax: ast.Module | None = None) -> Parsed:
    """:func:`parse_module`, keeping CPython's tree. *reduce* is given that tree and may return
    a text to hand libcst instead of *text* (the same lines, with parts no check reads left
    out): the cheap pass of kcheck.facts.relevance; ``""`` means nothing needs parsing, and
    the tree is then None. When libcst refuses the reduced text, the whole text is parsed.
    *syntax* is CPython's tree of *text* when the caller has it."""
    return run_deep(_parse, text, reduce, syntax)
