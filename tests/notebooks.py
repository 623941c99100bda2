"""Writing small notebooks for tests, the way Jupyter saves them (nbformat 4, indent 1)."""

from __future__ import annotations

import nbformat


def notebook_text(cells: list[str], markdown_first: bool = False, **metadata) -> str:
    """A notebook whose code cells hold *cells*; a markdown cell first when asked."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata.update(metadata or {"language_info": {"name": "python"}})
    if markdown_first:
        notebook.cells.append(nbformat.v4.new_markdown_cell("# A tutorial"))
    for source in cells:
        notebook.cells.append(nbformat.v4.new_code_cell(source))
    return nbformat.writes(notebook) + "\n"
