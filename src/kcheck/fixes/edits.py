"""What a fix is, and how the fixes of one file are applied in one pass.

An :class:`Edit` names a node of the checked tree and a function that rewrites it; the function
receives the node as already rewritten by other edits of the same pass, so two edits on one
class (a decorator above it, a method at the end of its body) compose. Each edit also declares
the *span* it touches, in source positions; fixes whose spans meet are never applied in the same
pass (the engine re-checks the file and applies the next one after).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst

from kcheck.facts.cst_walk import walk

SAFE, UNSAFE = "safe", "unsafe"

# Whether the rules running in this thread build their findings' fixes (see fixes_built).
_BUILDING: contextvars.ContextVar[bool] = contextvars.ContextVar("kcheck_fixes", default=True)


@contextlib.contextmanager
def fixes_built(on: bool) -> Iterator[None]:
    """Within this block, fix builders (:func:`fix_builder`) build fixes only when *on*. The
    flake8 plugin turns them off: flake8 prints messages only, and a message never depends on
    its fix."""
    token = _BUILDING.set(on)
    try:
        yield
    finally:
        _BUILDING.reset(token)


def building_fixes() -> bool:
    """False inside ``fixes_built(False)``: a rule can skip work that only its fix needs."""
    return _BUILDING.get()


def fix_builder(build: Callable[..., Fix | None]) -> Callable[..., Fix | None]:
    """Mark a function as a fix builder. It returns None instead of raising (rules build fixes
    while checking, and odd code must cost at most its fix, never the check), and it is not
    run at all where fixes are not wanted (:func:`fixes_built`)."""

    @functools.wraps(build)
    def guarded(*args, **kwargs):
        if not _BUILDING.get():
            return None
        try:
            return build(*args, **kwargs)
        except Exception:  # noqa: BLE001
            return None

    return guarded


@dataclass(frozen=True)
class Edit:
    """Rewrite *target* with *rewrite*; *span* is the node whose source range it touches, and
    *at* narrows that to the start ("start") or the end ("end") of it, for insertions."""

    target: cst.CSTNode
    rewrite: Callable[[cst.CSTNode], cst.CSTNode]
    span: cst.CSTNode | None = None
    at: str = "all"  # "all" | "start" | "end"


@dataclass(frozen=True)
class Fix:
    """A repair attached to a finding.

    *applicability* is ``safe`` (applied by ``--fix``) or ``unsafe`` (only with
    ``--unsafe-fixes``: it guesses intent or changes behaviour beyond the finding).
    *imports* are import statements (``import keras``) the edits need and the module lacks.
    *subject_after* is what the verifier should build once the fix is applied, when that is
    not the finding's class (a save path with its new ending).
    """

    applicability: str
    message: str
    edits: tuple[Edit, ...]
    imports: tuple[str, ...] = ()
    subject_after: str | None = None
    key: tuple = field(default=(), compare=False)  # identical repairs of several findings


Span = tuple[int, int, int, int]  # start line, start column, end line, end column


def spans(fix: Fix, positions) -> list[Span]:
    """The source ranges *fix* touches, from a PositionProvider mapping of the checked tree."""
    found = []
    for edit in fix.edits:
        node = edit.span if edit.span is not None else edit.target
        where = positions.get(node)
        if where is None:
            continue
        start = (where.start.line, where.start.column)
        end = (where.end.line, where.end.column)
        if edit.at == "start":
            end = start
        elif edit.at == "end":
            start = end
        found.append((*start, *end))
    return found


def conflicts(first: Sequence[Span], second: Sequence[Span]) -> bool:
    """True when any range of *first* meets any range of *second* (touching counts)."""
    for a in first:
        for b in second:
            if (a[0], a[1]) <= (b[2], b[3]) and (b[0], b[1]) <= (a[2], a[3]):
                return True
    return False


class _Rewriter(cst.CSTTransformer):
    def __init__(self, rewrites: dict[int, list[Callable]]) -> None:
        super().__init__()
        self.rewrites = rewrites

    def on_leave(self, original_node, updated_node):
        for rewrite in self.rewrites.get(id(original_node), ()):
            updated_node = rewrite(updated_node)
        return updated_node


def apply_fixes(tree: cst.Module, fixes: Sequence[Fix]) -> cst.Module:
    """Apply *fixes* (chosen so that they do not conflict) to *tree* in one pass.

    Only the top-level statements that hold an edited node are rebuilt: a libcst visit
    rebuilds every node it passes, and a whole module's visit for each fix made describing the
    fixes of a large module take seconds. The result is the module a whole visit gives."""
    rewrites: dict[int, list[Callable]] = {}
    imports: list[str] = []
    for fix in fixes:
        for edit in fix.edits:
            rewrites.setdefault(id(edit.target), []).append(edit.rewrite)
        imports.extend(line for line in fix.imports if line not in imports)
    rewriter = _Rewriter(rewrites)
    owners = _statements_holding(tree, set(rewrites))
    if owners is None:
        fixed = tree.visit(rewriter)
    else:
        body = list(tree.body)
        for index in owners:
            body[index] = body[index].visit(rewriter)
        fixed = tree.with_changes(body=body)
    if imports:
        fixed = add_imports(fixed, imports)
    return fixed


def _statements_holding(tree: cst.Module, targets: set[int]) -> list[int] | None:
    """Indexes of the top-level statements holding every node whose id is in *targets*, or None
    when one is not inside a statement (the module itself)."""
    remaining = set(targets)
    found = []
    for index, statement in enumerate(tree.body):
        if not remaining:
            break
        hit = False
        for node in walk(statement):
            if id(node) in remaining:
                remaining.discard(id(node))
                hit = True
        if hit:
            found.append(index)
    return None if remaining else found


def _is_import_line(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(small, (cst.Import, cst.ImportFrom)) for small in statement.body)


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1
            and isinstance(statement.body[0], cst.Expr)
            and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString)))


def add_imports(tree: cst.Module, lines: Sequence[str]) -> cst.Module:
    """Insert the import statements *lines* after the module's last top-level import (after its
    docstring when it has none), skipping those already written exactly so."""
    body = list(tree.body)
    present = {tree.code_for_node(s).strip() for s in body if _is_import_line(s)}
    new = [cst.parse_statement(line + tree.default_newline, tree.config_for_parsing)
           for line in lines if line not in present]
    if not new:
        return tree
    last_import = max((i for i, s in enumerate(body) if _is_import_line(s)), default=None)
    if last_import is not None:
        at = last_import + 1
    else:
        at = 1 if body and _is_docstring(body[0]) else 0
        if at < len(body):
            # keep a blank line between the new import and the code below it
            following = body[at]
            if not getattr(following, "leading_lines", ()):
                body[at] = following.with_changes(leading_lines=[cst.EmptyLine(indent=False)])
    return tree.with_changes(body=[*body[:at], *new, *body[at:]])


def validate(code: str) -> str | None:
    """Why *code* is not a valid module (libcst parse and ``compile()``), or None."""
    try:
        cst.parse_module(code)
    except cst.ParserSyntaxError as error:
        return f"libcst cannot parse the result: {error.message}"
    except (RecursionError, MemoryError):
        return "the result is too deeply nested to parse"
    try:
        compile(code, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        return f"the result does not compile: {error}"
    except (RecursionError, MemoryError):
        return "the result is too deeply nested to compile"
    return None
