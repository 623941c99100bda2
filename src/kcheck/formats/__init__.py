"""Output formats, one small module each: ``render(violations, output) -> str``.

``output`` carries what a format may need besides the violations (the summary line, whether to
show source and colour, where relative paths start); a plain string is taken as the summary.
"""

from __future__ import annotations

from kcheck.formats import github, json_format, sarif, text
from kcheck.formats.output import Output, as_output, use_colour

FORMATS = {"text": text.render, "json": json_format.render, "sarif": sarif.render,
           "github": github.render}

__all__ = ["FORMATS", "Output", "as_output", "use_colour"]
