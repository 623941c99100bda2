"""Reading Python source files safely."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

# Files larger than this are reported instead of parsed: libcst's parser slows sharply on huge
# generated modules and no hand-written Keras layer comes near it.
MAX_BYTES = 2_000_000
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


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


def read_source(path: Path) -> str:
    """Read and decode one source file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read file: {error.strerror or error}") from None
    return decode_source(data)
