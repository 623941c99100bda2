"""Reading Python source files safely."""

from __future__ import annotations

import codecs
import os
import re
import stat
from pathlib import Path

# Files larger than this are reported instead of parsed: libcst's parser slows sharply on huge
# generated modules and no hand-written Keras layer comes near it.
MAX_BYTES = 2_000_000
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def source_lines(text: str) -> list[str]:
    """*text*'s lines with their line breaks, numbered as CPython numbers them: only ``\\n``,
    ``\\r\\n`` and ``\\r`` end a line (``str.splitlines`` also splits at form feeds and other
    separators). The last item is always ``""``: what follows the last line break."""
    lines = text.splitlines(keepends=True)
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    if len(lines) != breaks + (not text.endswith(("\n", "\r")) and text != ""):
        # splitlines split at another separator too (one that ends the text splits nothing)
        return _LINE.findall(text)
    lines.append("")
    return lines


class SourceError(Exception):
    """A file that cannot be checked, with a message fit for the user."""


def declared_encoding(data: bytes) -> str:
    """The PEP 263 coding of *data* (its first two lines), else utf-8."""
    for line in data.splitlines()[:2]:
        match = _CODING.match(line)
        if match:
            return match.group(1).decode("ascii")
    return "utf-8"


def encode_source(text: str, original: bytes) -> bytes:
    """*text* encoded the way *original* was: its coding line's encoding and its UTF-8 BOM."""
    encoding = declared_encoding(original)
    data = text.encode(encoding)
    if original.startswith(codecs.BOM_UTF8) and not data.startswith(codecs.BOM_UTF8):
        data = codecs.BOM_UTF8 + data
    return data


def decode_source(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    """Decode *data* honouring a PEP 263 coding line; raise SourceError when that fails."""
    if len(data) > max_bytes:
        raise SourceError(f"file is {len(data):,} bytes, over kcheck's limit of {max_bytes:,}; "
                          "not checked")
    encoding = declared_encoding(data)
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise SourceError(f"unknown source encoding {encoding!r}; not checked") from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise SourceError(f"not valid {encoding} (byte {error.start}); not checked") from None
    if "\x00" in text:
        raise SourceError("file contains NUL bytes; not checked")
    return text.removeprefix("\ufeff")


def file_kind(mode: int) -> str:
    """What a stat mode says a path is, in words: "a FIFO (named pipe)", "a folder", ..."""
    for test, words in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"),
                        (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return words
    return "not a regular file"


def read_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file. Opening does not block on a FIFO, and anything but a regular
    file is refused, so a named pipe among the sources cannot hang a run. Raises OSError, or
    SourceError for what is not a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise SourceError(f"{file_kind(mode)}, not a regular file; not read")
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return stream.read()
    finally:
        os.close(descriptor)


def read_source(path: Path) -> str:
    """Read and decode one source file."""
    try:
        data = read_bytes(path)
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror or error}") from None
    return decode_source(data)
