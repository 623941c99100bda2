"""Output formats, one small module each. Each exposes ``render(violations, summary) -> str``."""

from __future__ import annotations

from kcheck.formats import json_format, text

FORMATS = {"text": text.render, "json": json_format.render}
