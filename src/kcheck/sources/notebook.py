"""Jupyter notebooks (``.ipynb``) as one Python module, and the way back.

The code cells are concatenated into one module, the way ruff does it: each cell's source
followed by a newline, so a cell's line *n* is the module's line ``first_line + n - 1``.
IPython-only lines (``%magic``, ``!shell``, ``x = !ls``, ``obj?``, ``?obj``, automagic such as
``pip install keras``) become ``pass`` at the same indentation, so line numbers hold and the
module parses. A cell that starts with a cell magic whose body is not Python run in the kernel
(``%%bash``, ``%%writefile``, ``%%html``...) is left out; ``%%time``, ``%%timeit``,
``%%capture`` and ``%%prun`` cells are kept with their first line neutralised. Markdown and raw
cells are ignored.

Cells are numbered as ruff numbers them: 1-based over *all* cells of the notebook, markdown
and raw cells included (nbQA numbers code cells only).

:meth:`NotebookModule.fixed` maps a changed module back to the cells and writes only the
changed cells' ``source`` values into the file's text, keeping every other byte.
"""

from __future__ import annotations

import ast
import difflib
import io
import json
import re
import tokenize
import warnings
from dataclasses import dataclass, field
from json.decoder import scanstring
from pathlib import Path

from kcheck.sources.python import MAX_BYTES, SourceError, read_bytes

NOTEBOOK_SUFFIX = ".ipynb"
# Outputs (plots, tables) make notebooks far larger than their code; the code itself is held to
# the Python limit once it is extracted.
MAX_NOTEBOOK_BYTES = 64_000_000
# Cell magics whose body is Python run in the kernel's namespace.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})
# Line magics IPython runs without the % prefix (automagic): a line that starts with one of
# these names and is not valid Python on its own is IPython's.
AUTOMAGICS = frozenset({
    "alias", "alias_magic", "autoawait", "autocall", "automagic", "bookmark", "cat", "cd",
    "clear", "colors", "conda", "config", "cp", "debug", "dhist", "dirs", "doctest_mode", "ed",
    "edit", "env", "gui", "hist", "history", "killbgscripts", "ldir", "less", "lf", "lk", "ll",
    "load", "load_ext", "loadpy", "logoff", "logon", "logstart", "logstate", "logstop", "ls",
    "lsmagic", "lx", "macro", "magic", "mamba", "man", "matplotlib", "micromamba", "mkdir",
    "more", "mv", "notebook", "page", "pastebin", "pdb", "pdef", "pdoc", "pfile", "pinfo",
    "pinfo2", "pip", "popd", "pprint", "precision", "prun", "psearch", "psource", "pushd",
    "pwd", "pycat", "pylab", "quickref", "recall", "rehashx", "reload_ext", "rep", "rerun",
    "reset", "reset_selective", "rm", "rmdir", "run", "save", "sc", "set_env", "store", "sx",
    "system", "tb", "time", "timeit", "unalias", "unload_ext", "who", "who_ls", "whos", "xdel",
    "xmode",
})
NEUTRAL = "pass"
# `files = !ls`, `out = %sx ls`: IPython assigns the command's output.
_ASSIGNED_ESCAPE = re.compile(r"^(?P<target>[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*[%!]")
_AUTOMAGIC_WORD = re.compile(r"^([A-Za-z_]\w*)(?:\s|$)")


def is_notebook(path: str | Path) -> bool:
    return str(path).endswith(NOTEBOOK_SUFFIX)


@dataclass(frozen=True)
class CodeCell:
    """One code cell as it sits in the module."""

    index: int  # 0-based among all cells of the notebook
    first_line: int  # the module line (1-based) of the cell's first line
    source: str  # as written in the notebook
    text: str  # as placed in the module: IPython lines neutralised
    neutralised: tuple[int, ...] = ()  # cell lines (1-based) replaced by a neutral line

    @property
    def number(self) -> int:
        """The cell number ruff prints: 1-based over all cells."""
        return self.index + 1

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + 1


@dataclass
class NotebookModule:
    """A notebook's code cells as one module, with the way back to cells and to the file."""

    raw: str  # the file's text (a byte-order mark removed; see `bom`)
    text: str  # the module
    cells: tuple[CodeCell, ...]
    skipped: tuple[tuple[int, str], ...] = ()  # (cell number, why it was left out)
    bom: bool = False
    _spans: list | None = field(default=None, repr=False)

    def cell_of(self, line: int) -> CodeCell | None:
        """The code cell that holds module line *line* (1-based)."""
        for cell in reversed(self.cells):
            if cell.first_line <= line:
                return cell if line < cell.first_line + cell.line_count else None
        return None

    def position(self, line: int) -> tuple[int, int]:
        """(cell number, line in the cell) of module line *line*; past the end, the last
        cell's."""
        cell = self.cell_of(line)
        if cell is None:
            last = self.cells[-1] if self.cells else None
            if last is not None and line >= last.first_line:
                return last.number, line - last.first_line + 1
            return (self.cells[0].number if self.cells else 1), max(line, 1)
        return cell.number, line - cell.first_line + 1

    def source_line(self, cell_number: int, line: int) -> str | None:
        """Line *line* (1-based) of cell *cell_number*, as the user wrote it."""
        for cell in self.cells:
            if cell.number == cell_number:
                lines = _normalise(cell.source).split("\n")
                return lines[line - 1].rstrip("\r") if 1 <= line <= len(lines) else None
        return None

    # -- the file's own coordinates (SARIF, GitHub annotations, flake8 on a notebook) --------

    def file_position(self, cell_number: int, line: int, column: int) -> tuple[int, int]:
        """Where cell *cell_number*'s line and column sit in the ``.ipynb`` text (1-based).

        The source may be one JSON string or a list of strings (Jupyter, Colab and nbformat
        write one string per line); either way the position is the character's own, in the
        escaped JSON text.
        """
        spans = self._source_spans()
        index = cell_number - 1
        if not 0 <= index < len(spans) or spans[index] is None:
            return 1, 1
        start, end = spans[index]
        value = json.loads(self.raw[start:end])
        pieces = value if isinstance(value, list) else [value]
        lines = "".join(pieces).split("\n")
        line = min(max(line, 1), len(lines))
        target = sum(len(text) + 1 for text in lines[: line - 1]) + \
            min(max(column - 1, 0), len(lines[line - 1]))
        offset, before = start, 0
        for number, piece in enumerate(pieces):
            if target < before + len(piece) or number == len(pieces) - 1:
                piece_start = start if isinstance(value, str) else \
                    _nth_string_start(self.raw, start, number)
                if piece_start is not None:
                    offset = piece_start + 1 + len(_escaped(piece[: target - before],
                                                            self._ascii()))
                break
            before += len(piece)
        return _line_column(self.raw, offset)

    def _ascii(self) -> bool:
        return self.raw.isascii() and "\\u" in self.raw

    def _source_spans(self) -> list:
        if self._spans is None:
            self._spans = source_spans(self.raw)
        return self._spans

    # -- the way back: a changed module into the cells, and the file --------------------------

    def changed_sources(self, fixed_text: str) -> dict[int, str]:
        """The new source of every code cell the module change touches, by cell index.

        Lines are matched between the module and *fixed_text*; a new or changed line belongs
        to the cell of the unchanged lines of the same top-level statement (a decorator added
        to a class goes with the class), else to the cell of the line it replaced, else to the
        cell of the line before it. Neutralised IPython lines that the change kept get their
        original text back.
        """
        if not self.cells:
            return {}
        old = self.text[:-1].split("\n") if self.text.endswith("\n") else self.text.split("\n")
        new = fixed_text[:-1].split("\n") if fixed_text.endswith("\n") else fixed_text.split("\n")
        owner: list[int] = []
        originals: dict[int, str] = {}
        for position, cell in enumerate(self.cells):
            owner.extend([position] * cell.line_count)
            source_lines = _normalise(cell.source).split("\n")
            for line in cell.neutralised:
                originals[cell.first_line - 1 + line - 1] = source_lines[line - 1]
        assigned: list[int | None] = [None] * len(new)
        replaced: dict[int, int] = {}  # a changed line -> the cell of the line it replaced
        restored: dict[int, str] = {}
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "replace":
                for step in range(j2 - j1):
                    replaced[j1 + step] = owner[min(i1 + step, i2 - 1)]
            if tag != "equal":
                continue
            for step in range(i2 - i1):
                assigned[j1 + step] = owner[i1 + step]
                if i1 + step in originals:
                    restored[j1 + step] = originals[i1 + step]
        for first, last in _statement_spans(fixed_text):
            known = [assigned[j] for j in range(first, min(last + 1, len(new)))
                     if assigned[j] is not None]
            if known:
                for j in range(first, min(last + 1, len(new))):
                    if assigned[j] is None:
                        assigned[j] = known[0]
        for j, cell in replaced.items():
            if assigned[j] is None:
                assigned[j] = cell
        current = 0
        previous: int | None = None
        for j, value in enumerate(assigned):
            if value is None:
                if previous is None:
                    following = next((v for v in assigned[j:] if v is not None), 0)
                    value = following
                else:
                    value = previous
            current = max(current, value)  # cells stay in order
            assigned[j] = current
            previous = current
        lines_of: dict[int, list[int]] = {position: [] for position in range(len(self.cells))}
        for j in range(len(new)):
            lines_of[assigned[j]].append(j)
        changed = {}
        for position, cell in enumerate(self.cells):
            if [new[j] for j in lines_of[position]] == cell.text.split("\n"):
                continue  # the cell's code is as it was: its source stays byte for byte
            changed[cell.index] = "\n".join(restored.get(j, new[j]) for j in lines_of[position])
        return changed

    def fixed(self, fixed_text: str) -> str:
        """The file's text with the cells changed by *fixed_text* rewritten, every other byte
        kept (outputs, metadata, ids, execution counts, indentation); the same text when the
        change touches no cell."""
        changed = self.changed_sources(fixed_text)
        return write_sources(self.raw, changed) if changed else self.raw

    def replacements(self, fixed_text: str) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
        """What *fixed_text* changes in the file, as ``((line, column), (end line, end column),
        new JSON text)`` replacements of cell ``source`` values (1-based; the end is just past
        the old value): a fix stated in the file's own coordinates, as SARIF wants it."""
        fixed = self.fixed(fixed_text)
        changes = []
        for old, new in zip(source_spans(self.raw), source_spans(fixed)):
            if old is None or new is None or self.raw[old[0]:old[1]] == fixed[new[0]:new[1]]:
                continue
            changes.append((_line_column(self.raw, old[0]), _line_column(self.raw, old[1]),
                            fixed[new[0]:new[1]]))
        return changes

    def encode(self, raw: str) -> bytes:
        """*raw* as the file's bytes (UTF-8, with the byte-order mark it had)."""
        return ("\ufeff" if self.bom else "").encode() + raw.encode("utf-8", "surrogatepass")


def decode_notebook(data: bytes) -> str:
    """The text of a notebook file; SourceError when it is too large or not UTF-8."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise SourceError(f"notebook is {len(data):,} bytes, over kcheck's limit of "
                          f"{MAX_NOTEBOOK_BYTES:,}; not checked")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(f"not a valid notebook: not UTF-8 (byte {error.start}); "
                          "not checked") from None


def read_notebook_file(path: Path) -> NotebookModule:
    """Read, validate and convert one notebook file."""
    try:
        data = read_bytes(path)  # a regular file only: a FIFO cannot block the run
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror or error}") from None
    return read_notebook(decode_notebook(data))


def read_notebook(raw: str) -> NotebookModule:
    """Validate a notebook's text with nbformat and build its module.

    Raises SourceError, with the reason, for text that is not JSON, a notebook format other
    than 4, a notebook nbformat finds invalid, or a notebook without cells.
    """
    bom = raw.startswith("\ufeff")
    raw = raw.removeprefix("\ufeff")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise SourceError(f"not a valid notebook: invalid JSON ({error.msg} at line "
                          f"{error.lineno} column {error.colno}); not checked") from None
    except RecursionError:
        raise SourceError("not a valid notebook: JSON nested too deeply; not checked") from None
    if not isinstance(data, dict) or "nbformat" not in data:
        raise SourceError("not a valid notebook: no 'nbformat' key in the JSON object; "
                          "not checked")
    if data["nbformat"] != 4:
        raise SourceError(f"not a valid notebook: nbformat {data['nbformat']!r}, kcheck reads "
                          "nbformat 4 (save it from a current Jupyter to convert it); "
                          "not checked")
    _validate(data)
    if not data["cells"]:
        raise SourceError("not a valid notebook: it has no cells; not checked")
    metadata = data.get("metadata") or {}
    language = (metadata.get("language_info") or {}).get("name") or \
        (metadata.get("kernelspec") or {}).get("language") or "python"
    if str(language).lower() != "python":
        return NotebookModule(raw, "", (), ((0, f"a {language} notebook, not Python"),), bom)
    cells: list[CodeCell] = []
    skipped: list[tuple[int, str]] = []
    line = 1
    for index, cell in enumerate(data["cells"]):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        converted = neutralise(_normalise(source))
        if isinstance(converted, str):
            skipped.append((index + 1, converted))
            continue
        text, neutralised = converted
        code_cell = CodeCell(index, line, source, text, neutralised)
        cells.append(code_cell)
        line += code_cell.line_count
    text = "".join(cell.text + "\n" for cell in cells)
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:
        raise SourceError(f"the notebook's code holds a character that is not valid Unicode "
                          f"({text[error.start]!r}, a lone surrogate); not checked") from None
    if size > MAX_BYTES:
        raise SourceError(f"the notebook's code is over kcheck's limit of {MAX_BYTES:,} bytes; "
                          "not checked")
    if "\x00" in text:
        raise SourceError("the notebook's code contains NUL characters; not checked")
    return NotebookModule(raw, text, tuple(cells), tuple(skipped), bom)


def _normalise(source: str) -> str:
    """A lone carriage return ends a line for Python and libcst: make it a newline, so cell
    lines and module lines are counted alike (``\\r\\n`` stays, one line either way)."""
    return re.sub(r"\r(?!\n)", "\n", source)


def _validate(data: dict) -> None:
    """nbformat's schema check. Keys other tools add (relax_add_props) are accepted: Jupyter
    opens such notebooks, and only the cells matter here."""
    import nbformat

    cells = data.get("cells")
    if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
        raise SourceError("not a valid notebook: 'cells' is not a list of cell objects; "
                          "not checked")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(data, relax_add_props=True)
    except (TypeError, KeyError, AttributeError, ValueError, RecursionError) as error:
        # nbformat's own normalisation trips over some malformed notebooks
        raise SourceError(f"not a valid notebook: {type(error).__name__}: {error}; "
                          "not checked") from None
    except nbformat.ValidationError as error:
        where = "/".join(str(part) for part in getattr(error, "absolute_path", ()) or ())
        message = str(getattr(error, "message", "") or error).splitlines()[0]
        if len(message) > 200:
            message = message[:200] + "..."
        raise SourceError(f"not a valid notebook: {message}"
                          + (f" (at {where})" if where else "") + "; not checked") from None


# -- IPython lines ---------------------------------------------------------------------------


def neutralise(source: str) -> tuple[str, tuple[int, ...]] | str:
    """The cell as Python with IPython-only lines replaced, and those lines' numbers; or the
    reason the cell is left out (a cell magic whose body is not Python)."""
    lines = source.split("\n")
    first = next((n for n, text in enumerate(lines) if text.strip()), None)
    # line number -> the line whose indentation and form its neutral line takes
    replaced: dict[int, int] = {}
    if first is not None and lines[first].lstrip().startswith("%%"):
        words = lines[first].strip()[2:].split()
        name = words[0] if words else ""
        if name not in PYTHON_CELL_MAGICS:
            return f"%%{name} cell"
        replaced[first] = first
    head: int | None = None  # the first line of a magic continued with backslashes
    for number, text in enumerate(lines):
        if number in replaced:
            continue
        if head is not None or _is_ipython_line(text):
            head = number if head is None else head
            replaced[number] = head
            if not text.rstrip().endswith("\\"):
                head = None
    if not replaced:
        return source, ()
    converted = list(lines)
    for number, head in replaced.items():
        converted[number] = _neutral(lines[head], continuation=number != head)
    # A line that starts inside a multi-line string is the string's text, not IPython's.
    inside = _lines_inside_strings("\n".join(converted))
    for number in sorted(set(replaced) & inside):
        del replaced[number]
        converted[number] = lines[number]
    return "\n".join(converted), tuple(number + 1 for number in sorted(replaced))


def _neutral(text: str, continuation: bool) -> str:
    indent = text[: len(text) - len(text.lstrip())]
    assigned = _ASSIGNED_ESCAPE.match(text.lstrip())
    if assigned and not continuation:
        return f"{indent}{assigned.group('target')} = None"
    return indent + NEUTRAL


def _is_ipython_line(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped.startswith("#"):
        return False
    if stripped[0] in "%!?" or (stripped.endswith("?") and "#" not in stripped):
        return True
    if _ASSIGNED_ESCAPE.match(stripped):
        return True
    word = _AUTOMAGIC_WORD.match(stripped)
    if word and word.group(1) in AUTOMAGICS and len(stripped) > len(word.group(1)):
        try:
            ast.parse(stripped)
        except SyntaxError:
            return True
    return False


def _lines_inside_strings(text: str) -> set[int]:
    """0-based numbers of the lines that begin inside a multi-line string token."""
    inside: set[int] = set()
    starts: list[int] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            kind = tokenize.tok_name.get(token.type, "")
            if kind == "FSTRING_START":
                starts.append(token.start[0])
            elif kind == "FSTRING_END" and starts:
                first = starts.pop()
                inside.update(range(first, token.end[0]))
            elif token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return inside  # tokenize rows are 1-based: row r+1 begins inside a string started at r


# -- positions in the file's JSON -----------------------------------------------------------

_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _skip(raw: str, index: int) -> int:
    return _WHITESPACE.match(raw, index).end()


def source_spans(raw: str) -> list[tuple[int, int] | None]:
    """For each cell, the (start, end) offsets of its ``source`` value in the JSON text."""
    decoder = json.JSONDecoder()
    spans: list[tuple[int, int] | None] = []
    index = _skip(raw, 0)
    if raw[index:index + 1] != "{":
        return spans
    index += 1
    while True:
        index = _skip(raw, index)
        if raw[index:index + 1] in ("}", ""):
            return spans
        key, index = scanstring(raw, index + 1)
        index = _skip(raw, _skip(raw, index) + 1)  # past the colon
        if key == "cells" and raw[index:index + 1] == "[":
            spans, index = _cell_spans(raw, index, decoder)
        else:
            index = decoder.raw_decode(raw, index)[1]
        index = _skip(raw, index)
        if raw[index:index + 1] == ",":
            index += 1


def _cell_spans(raw: str, index: int, decoder: json.JSONDecoder):
    spans: list[tuple[int, int] | None] = []
    index = _skip(raw, index + 1)
    while raw[index:index + 1] not in ("]", ""):
        span = None
        if raw[index] == "{":
            index += 1
            while True:
                index = _skip(raw, index)
                if raw[index:index + 1] in ("}", ""):
                    index += 1
                    break
                key, index = scanstring(raw, index + 1)
                index = _skip(raw, _skip(raw, index) + 1)
                end = decoder.raw_decode(raw, index)[1]
                if key == "source":
                    span = (index, end)
                index = _skip(raw, end)
                if raw[index:index + 1] == ",":
                    index += 1
        else:
            index = decoder.raw_decode(raw, index)[1]
        spans.append(span)
        index = _skip(raw, index)
        if raw[index:index + 1] == ",":
            index = _skip(raw, index + 1)
    return spans, index + 1


def _nth_string_start(raw: str, start: int, n: int) -> int | None:
    """The offset of the opening quote of the *n*-th string in the JSON array at *start*."""
    index = _skip(raw, start + 1)
    for _ in range(n):
        if raw[index:index + 1] != '"':
            return None
        index = scanstring(raw, index + 1)[1]
        index = _skip(raw, index)
        if raw[index:index + 1] != ",":
            return None
        index = _skip(raw, index + 1)
    return index if raw[index:index + 1] == '"' else None


def _line_column(raw: str, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _escaped(text: str, ascii_only: bool) -> str:
    return json.dumps(text, ensure_ascii=ascii_only)[1:-1]


# -- writing cells back ---------------------------------------------------------------------


def write_sources(raw: str, changed: dict[int, str]) -> str:
    """*raw* with the ``source`` of each cell in *changed* replaced, in the style the file
    already uses (a list of lines or one string; its indentation, newlines and escaping)."""
    spans = source_spans(raw)
    ascii_only = raw.isascii() and "\\u" in raw
    unit = _indent_unit(raw)
    newline = "\r\n" if "\r\n" in raw else "\n"
    pieces = []
    last = 0
    for index in sorted(changed):
        if index >= len(spans) or spans[index] is None:
            continue
        start, end = spans[index]
        pieces.append(raw[last:start])
        pieces.append(_encode_source(raw, start, end, changed[index], ascii_only, unit,
                                     newline))
        last = end
    pieces.append(raw[last:])
    return "".join(pieces)


def _encode_source(raw: str, start: int, end: int, source: str, ascii_only: bool, unit: str,
                   newline: str) -> str:
    old = raw[start:end]
    if old.startswith('"'):
        return json.dumps(source, ensure_ascii=ascii_only)
    lines = [line + "\n" for line in source.split("\n")]
    lines[-1] = lines[-1][:-1]
    if not lines[-1]:
        lines.pop()
    items = [json.dumps(line, ensure_ascii=ascii_only) for line in lines]
    if not items:
        return "[]"
    layout = re.match(r"\[(?P<before>[ \t\r\n]*)", old)
    if "\n" not in old and old != "[]":
        separator = ", " if ", " in old else ","
        return "[" + separator.join(items) + "]"
    if layout and "\n" in layout.group("before"):
        item_indent = layout.group("before").split("\n")[-1]
        closing = re.search(r"\n(?P<indent>[ \t]*)\]$", old)
        closing_indent = closing.group("indent") if closing else item_indent[: -len(unit) or None]
    else:
        line_start = raw.rfind("\n", 0, start) + 1
        key_line = raw[line_start:start]
        closing_indent = key_line[: len(key_line) - len(key_line.lstrip())]
        item_indent = closing_indent + unit
    return ("[" + newline + ("," + newline).join(item_indent + item for item in items)
            + newline + closing_indent + "]")


def _indent_unit(raw: str) -> str:
    """The file's indentation step: the indentation of its first key."""
    match = re.match(r"\s*\{[ \t]*\r?\n(?P<indent>[ \t]+)\"", raw)
    return match.group("indent") if match else " "


def _statement_spans(text: str) -> list[tuple[int, int]]:
    """0-based (first, last) lines of each top-level statement, decorators included."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    spans = []
    for node in tree.body:
        first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        spans.append((first - 1, (node.end_lineno or node.lineno) - 1))
    return spans
