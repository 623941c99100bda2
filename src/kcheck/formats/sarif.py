"""SARIF 2.1.0, the format GitHub code scanning and other dashboards import.

Paths are URIs relative to ``%SRCROOT%`` (the folder kcheck ran in), which is what
``github/codeql-action/upload-sarif`` expects from a run at the repository root; paths outside
it are absolute ``file:`` URIs. Every rule is described in ``tool.driver.rules`` with a link to
its documentation page, whether or not it reported anything.

A finding in a notebook points at the ``.ipynb`` file and the line and column of its JSON text
that hold the cell's line; ``properties`` carry the ``cell`` and the ``cellLine`` and
``cellColumn`` as kcheck prints them.
"""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path

from kcheck import __version__
from kcheck.engine.violation import FILE_ERROR_CODE, Violation
from kcheck.formats.output import Output, as_output

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
_SRCROOT = "%SRCROOT%"


def _descriptors() -> list[dict]:
    # Every rule's docstring is described, so this format imports the rules (only when used).
    from kcheck.rules import ALL_RULES
    from kcheck.rules.docs import rule_doc_url

    rules = []
    for rule in ALL_RULES:
        doc = inspect.cleandoc(rule.__doc__ or rule.summary)
        rules.append({
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": doc.split("\n\n")[0].replace("\n", " ")},
            "help": {"text": doc},
            "helpUri": rule_doc_url(rule.code),
            "defaultConfiguration": {"enabled": rule.default_enabled,
                                     "level": _LEVELS.get(rule.severity, "warning")},
        })
    rules.append({
        "id": FILE_ERROR_CODE,
        "name": "file-not-checked",
        "shortDescription": {"text": "a file kcheck could not read or parse"},
        "defaultConfiguration": {"enabled": True, "level": "error"},
    })
    return rules


def _location(path: str, root: Path) -> dict:
    from urllib.parse import quote

    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(Path(os.path.abspath(root)))
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix()), "uriBaseId": _SRCROOT}


def _notebook_replacements(v: Violation, output: Output) -> list[dict] | None:
    """A notebook finding's fix as replacements of its cells' JSON ``source`` values."""
    notebook = output.notebook(v.path)
    cells = {cell.number: cell for cell in notebook.cells} if notebook is not None else {}
    if any(edit.get("cell") not in cells for edit in v.fix["edits"]):
        return None
    lines = notebook.text.splitlines(keepends=True)
    for edit in sorted(v.fix["edits"], reverse=True,
                       key=lambda e: cells[e["cell"]].first_line + e["location"]["row"]):
        first = cells[edit["cell"]].first_line - 1
        lines[first + edit["location"]["row"] - 1:first + edit["end_location"]["row"] - 1] = \
            [edit["content"]]
    return [{"deletedRegion": {"startLine": start[0], "startColumn": start[1],
                               "endLine": end[0], "endColumn": end[1]},
             "insertedContent": {"text": text}}
            for start, end, text in notebook.replacements("".join(lines))]


def _fix(v: Violation, output: Output) -> dict | None:
    """The finding's fix as a SARIF fix: whole-line replacements of the original file (of
    the cells' ``source`` values in a notebook's JSON text)."""
    root = output.root
    replacements = [] if v.cell is None else _notebook_replacements(v, output)
    if replacements is None:
        return None
    for edit in v.fix["edits"] if v.cell is None else []:
        start, end = edit["location"], edit["end_location"]
        replacements.append({
            "deletedRegion": {"startLine": start["row"], "startColumn": start["column"],
                              "endLine": end["row"], "endColumn": end["column"]},
            "insertedContent": {"text": edit["content"]},
        })
    return {"description": {"text": f"{v.fix['message']} ({v.fix['applicability']} fix)"},
            "artifactChanges": [{"artifactLocation": _location(v.path, root),
                                 "replacements": replacements}]}


def render(violations: list[Violation], output: Output | str | None = None) -> str:
    from kcheck.rules.docs import REPOSITORY_URL

    output = as_output(output)
    rules = _descriptors()
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    results = []
    for v in violations:
        line, column = output.file_position(v)
        result = {
            "ruleId": v.code,
            "ruleIndex": index.get(v.code, index[FILE_ERROR_CODE]),
            "level": _LEVELS.get(v.severity, "warning"),
            "message": {"text": v.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": _location(v.path, output.root),
                "region": {"startLine": line, "startColumn": column},
            }}],
        }
        properties = {}
        if v.cell is not None:
            properties.update(cell=v.cell, cellLine=v.line, cellColumn=v.column)
        if v.verification:
            properties["verification"] = v.verification
        if properties:
            result["properties"] = properties
        if v.fix and all("location" in edit for edit in v.fix["edits"]):
            fix = _fix(v, output)
            if fix is not None:
                result["fixes"] = [fix]
        results.append(result)
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "kcheck", "version": __version__,
                                "informationUri": REPOSITORY_URL, "rules": rules}},
            "originalUriBaseIds": {_SRCROOT: {
                "uri": Path(os.path.abspath(output.root)).as_uri().rstrip("/") + "/"}},
            "results": results,
        }],
    }
    return json.dumps(log, indent=2) + "\n"
