"""Turn static findings into verifier targets and put each verdict beside its findings.

The static facts say how to build each flagged class: its kind, the constructor calls written in
its module (``Gate(keras.layers.Dense(4))``) and what each parameter seems to hold. The verifier
itself (:mod:`kcheck.verify`) runs in child processes; this module never imports keras.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import libcst as cst

from kcheck.engine.violation import Violation
from kcheck.facts.arguments import judge_param
from kcheck.facts.project import ClassInfo, Project
from kcheck.facts.registrations import find_registrations
from kcheck.facts.usage import constructor_sites
from kcheck.rules import RULES_BY_CODE
from kcheck.rules.stages import named_stages, observed_stage, precedes, untested_argument
from kcheck.sources.notebook import NotebookModule, is_notebook, read_notebook_file
from kcheck.sources.parsing import run_deep
from kcheck.sources.python import SourceError, read_source

# Findings about build state, weights, assets or compile state: a round trip of a class that was
# never called ("config only") cannot show them.
CALL_DEPENDENT = ("KS401", "KS402", "KS403", "KS501", "KS502", "KS503")

# Rules whose finding is about a class that the verifier can build and round-trip.
_NOT_A_CLASS = ("runtime verification builds classes and built-in layer calls; this finding is "
                "about another kind of call (a save path, a compile argument, a registration)")


class NotebookScripts:
    """Each notebook's module written as a script in a temporary folder, for the verifier.

    The verifier's children read Python files: a notebook's code cells, with IPython lines
    neutralised, are that file. The script keeps the module's line numbers, so what the
    verifier says about a line is mapped back to its cell. Nothing is written beside the
    notebook; its own folder goes on the children's import path (``PYTHONPATH``) so it can
    import the modules next to it.
    """

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.notebooks: dict[Path, tuple[Path, NotebookModule]] = {}  # script -> notebook

    def script_for(self, path: Path) -> Path:
        """The script holding *path*'s code cells (written on first use)."""
        for script, (notebook, _) in self.notebooks.items():
            if notebook == path.resolve():
                return script
        module = read_notebook_file(path)
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="kcheck-notebooks-"))
        # One folder per notebook: two notebooks may share a name; the stem is the module name
        # Keras records, made a valid identifier.
        folder = self.folder / str(len(self.notebooks))
        folder.mkdir()
        name = re.sub(r"\W", "_", path.stem) or "notebook"
        script = folder / f"{'_' * name[0].isdigit()}{name}.py"
        script.write_text(module.text, encoding="utf-8")
        self.notebooks[script] = (path.resolve(), module)
        return script

    def mapped(self, text: str) -> str:
        """*text* (a verdict's detail) with script positions told as notebook cells."""
        for script, (notebook, module) in self.notebooks.items():
            if str(script) not in text:
                continue

            def cell_line(match: re.Match, module=module, notebook=notebook) -> str:
                cell, line = module.position(int(match.group(2)))
                return f"{notebook.name}{match.group(1)}cell {cell}, line {line}"

            # `File "<script>", line 12` (a traceback) and `<script>:12`
            text = re.sub(re.escape(str(script)) + r'(", |:)(?:line )?(\d+)', cell_line, text)
            text = text.replace(str(script), str(notebook))
        return text

    @contextmanager
    def import_path(self) -> Iterator[None]:
        """The notebooks' folders on the verifier children's import path, for the duration."""
        folders = sorted({str(notebook.parent) for notebook, _ in self.notebooks.values()})
        previous = os.environ.get("PYTHONPATH")
        if folders:
            os.environ["PYTHONPATH"] = os.pathsep.join(folders + ([previous] if previous else []))
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = previous

    def remove(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _class_info(project: Project, path: Path, class_name: str) -> ClassInfo | None:
    info = project.load(path)
    if info is None:
        return None
    info = project.whole(info)
    facts = info.facts.classes.get(class_name)
    return project.class_info(info, facts) if facts is not None else None


def _examples(project: Project, cls: ClassInfo) -> tuple[list[str], list[str]]:
    """Constructor calls of the class written in its own module, as source text."""
    examples, sources = [], []
    tree = cls.module.tree
    for site in constructor_sites(project, cls):
        text = tree.code_for_node(site.node)
        if text not in examples and "\n" not in text.strip():
            examples.append(text.strip())
            where = "module level" if site.function_name is None else f"in {site.function_name}()"
            sources.append(f"call site {cls.module.path.name} ({where})")
    return examples, sources


def _hints(project: Project, cls: ClassInfo) -> dict[str, str]:
    found = cls.find_method("__init__")
    if found is None:
        return {}
    sites = constructor_sites(project, cls)
    hints = {}
    for param in found[1].params:
        why = judge_param(project, cls, param, sites)
        if why is not None:
            hints[param.name] = "callable" if "lambda" in why else "layer"
    return hints


def _module_usage(path: Path, class_name: str, readers: dict):
    """How the module's own code builds and feeds the class (kcheck.verify.model_code); each
    module is read once per run, however many of its classes are verified."""
    from kcheck.verify.model_code import ModuleUsage, module_usage_reader

    try:
        if path not in readers:
            readers[path] = module_usage_reader(read_source(path), str(path))
        return readers[path](class_name)
    except SourceError:
        return ModuleUsage()
    except Exception:  # noqa: BLE001 - reading usage is a bonus; the class is verified anyway
        return ModuleUsage()


def _loader_custom_objects(project: Project, module) -> tuple[str, ...]:
    """Names the module itself passes in custom_objects= or a custom object scope."""
    registrations = find_registrations(project, module)
    return tuple(sorted(name for name, how in registrations.registered.items()
                        if how.startswith("named in custom_objects") and "." not in name))


def _key(violation: Violation) -> tuple[str, str]:
    """What a verdict is about: the flagged class, or the flagged call."""
    return (violation.path, violation.class_name or violation.subject or "")


def build_targets(violations: Sequence[Violation], declared: dict[str, str] | None = None,
                  import_mode: str = "strip", notebooks: NotebookScripts | None = None):
    """One VerifyTarget per flagged class; also returns violations that cannot be verified.

    *declared* maps ``"module:Class"`` (or ``"path.py:Class"``) to a constructor expression the
    user wrote in ``[tool.kcheck.examples]``; it is tried first. A finding in a notebook is
    verified through its script in *notebooks* (findings in notebooks are not verifiable
    without one).
    """
    from kcheck.verify import VerifyTarget

    project = Project()
    declared = declared or {}

    def target_path(path: Path) -> str:
        """The file the verifier's children load: a notebook's script, or the file itself."""
        if notebooks is not None and is_notebook(path):
            script = notebooks.script_for(path)
            if project.module(path) is None:
                project.add(path, cst.parse_module(script.read_text(encoding="utf-8")))
            return str(script)
        return str(path.resolve())
    by_module: dict[Path, tuple[str, ...]] = {}

    def loader_names(module) -> tuple[str, ...]:
        if module.path not in by_module:  # one registration scan per module, not per class
            by_module[module.path] = _loader_custom_objects(project, module)
        return by_module[module.path]

    keys: list[tuple[str, str]] = []
    targets = []
    unverifiable: dict[int, str] = {}
    readers: dict = {}  # one usage reader per module, shared by its classes
    for index, violation in enumerate(violations):
        if violation.is_file_error:
            continue
        if violation.class_name is None:
            if violation.subject is None:
                unverifiable[index] = _NOT_A_CLASS
                continue
            key = _key(violation)
            if key not in keys:
                class_name, call = violation.subject.split("\t", 1)
                kind = "save-path" if class_name.startswith("save-path:") else "layer"
                try:
                    where = target_path(Path(violation.path))
                except (SourceError, cst.ParserSyntaxError) as error:
                    unverifiable[index] = f"cannot read the file again: {error}"
                    continue
                cell = f"cell {violation.cell}:" if violation.cell is not None else ""
                keys.append(key)
                targets.append(VerifyTarget(
                    where, class_name, kind, (call,),
                    (f"the call at {Path(violation.path).name}:{cell}{violation.line}",),
                    import_mode=import_mode))
            continue
        key = _key(violation)
        if key in keys:
            continue
        path = Path(violation.path)
        try:
            where = target_path(path) if is_notebook(path) else None
            if where is None:
                read_source(path)
        except (SourceError, cst.ParserSyntaxError) as error:
            unverifiable[index] = f"cannot read the file again: {error}"
            continue
        if is_notebook(path) and notebooks is None:
            unverifiable[index] = "a notebook is verified through kcheck --verify"
            continue
        cls = _class_info(project, path, violation.class_name)
        if cls is None or cls.kind is None:
            unverifiable[index] = "the class could not be found again in its file"
            continue
        examples, sources = _examples(project, cls)
        # (for a notebook this reads its JSON text: no usage, the examples stand)
        usage = _module_usage(path, cls.name, readers)
        # Calls with their names resolved come first; the calls as written follow (a call whose
        # locals could not be resolved still works when they are module constants).
        for text, site in reversed(usage.examples):
            if text in examples:
                del sources[examples.index(text)]
                examples.remove(text)
            examples.insert(0, text)
            sources.insert(0, site)
        for name in (f"{cls.module.name}:{cls.name}", f"{path}:{cls.name}",
                     f"{path.name}:{cls.name}"):
            if name in declared:
                examples.insert(0, declared[name])
                sources.insert(0, "declared in [tool.kcheck.examples]")
                break
        keys.append(key)
        targets.append(VerifyTarget(where or str(path.resolve()), cls.name, cls.kind,
                                    tuple(examples),
                                    tuple(sources), _hints(project, cls), import_mode,
                                    loader_names(cls.module), usage.inputs, usage.builders))
    return keys, targets, unverifiable


def verify_violations(violations: list[Violation], *, timeout: float, jobs: int | None,
                      declared: dict[str, str] | None = None, import_mode: str = "strip",
                      progress: Callable[[int, int], None] | None = None) -> None:
    """Attach a ``verification`` dict (status, detail, method) to every finding, in place.

    Raises :class:`kcheck.verify.VerifierUnavailable` when keras is not installed.
    """
    from kcheck.verify import verify_targets

    notebooks = NotebookScripts()
    try:
        # Re-reading the flagged modules parses them again and prints constructor calls back
        # to source: deep code needs the deep stack here as in the check itself.
        keys, targets, unverifiable = run_deep(build_targets, violations, declared,
                                               import_mode, notebooks)
        with notebooks.import_path():
            verdicts = verify_targets(targets, timeout=timeout, jobs=jobs, progress=progress)
    finally:
        notebooks.remove()
    by_class = dict(zip(keys, verdicts))
    codes: dict[tuple[str, str], list[str]] = {}
    for violation in violations:
        if not violation.is_file_error:
            codes.setdefault(_key(violation), []).append(violation.code)
    for index, violation in enumerate(violations):
        if violation.is_file_error:
            continue
        verdict = by_class.get(_key(violation))
        if verdict is not None:
            others = [c for c in codes.get(_key(violation), ()) if c != violation.code]
            violation.verification = _interpret(
                violation.code, verdict, others, violation.message,
                about_call=violation.class_name is None and violation.subject is not None)
            for name in ("detail", "method"):
                violation.verification[name] = notebooks.mapped(violation.verification[name])
        else:
            reason = unverifiable.get(index, "not verified")
            violation.verification = {"status": "inconclusive", "detail": reason, "method": ""}


def _evidence(code: str) -> tuple[str, ...]:
    rule = RULES_BY_CODE.get(code)
    return rule.RUNTIME_EVIDENCE if rule is not None else ()


def _blocker(detail: str, others: Sequence[str], confirmed: bool) -> str | None:
    """The first other finding of the same class whose rule predicts Keras's error; failing
    that, for a confirmed failure, the first whose rule takes any failure as its own (it names
    no evidence)."""
    for other in others:
        if any(text in detail for text in _evidence(other)):
            return other
    for other in others if confirmed else ():
        if other in RULES_BY_CODE and not _evidence(other):
            return other
    return None


def _interpret(code: str, verdict, others: Sequence[str] = (), message: str = "",
               about_call: bool = False) -> dict:
    """The verdict as evidence for one finding: a failure caused by another mistake of the same
    class does not confirm this one, nor does a failure at a stage before the one the finding's
    message names (a save failure cannot show a key that breaks loading). When another finding
    of the class (`others`, codes kcheck reported for it) predicts the failure, this one is
    "blocked by" it: fix that one first. For a finding about a call (``Lambda(lambda ...)``),
    only a round trip of that call counts: when it could not be evaluated and the verifier fell
    back to a synthesised instance, nothing was tested."""
    method = verdict.method
    if getattr(verdict, "backend", "") and method:
        method = f"{method}; backend {verdict.backend}"
    result = {"status": verdict.status, "detail": verdict.detail, "method": method}
    if about_call and verdict.status != "inconclusive" and \
            verdict.method.startswith("synthesised:"):
        result["status"] = "inconclusive"
        result["detail"] = ("the flagged call could not be evaluated on its own (it uses names "
                            "of its function), and the synthesised stand-in the verifier built "
                            "instead does not hold the mistake")
        return result
    rule = RULES_BY_CODE.get(code)
    evidence = rule.RUNTIME_EVIDENCE if rule is not None else ()
    blind_spot = rule.RUNTIME_BLIND_SPOT if rule is not None else ""
    own = bool(evidence) and any(text in verdict.detail for text in evidence)
    blocker = None if own else _blocker(verdict.detail, others, verdict.status == "confirmed")
    workaround = getattr(verdict, "workaround", None)
    if blocker is not None and workaround is not None and verdict.status == "confirmed":
        # The verifier worked around the first failure (the blocker's mistake: the class passed
        # in custom_objects, or saved with the base config only) and looked again.
        behind = _interpret(code, workaround, [o for o in others if o != blocker], message)
        if behind["status"] == "not-reproduced" and "found the class by name" in \
                workaround.detail and code not in ("KS301",):
            behind = {"status": "inconclusive", "detail": workaround.detail, "method": ""}
        behind["detail"] = f"with {blocker} worked around ({workaround.method}): " \
            f"{behind['detail']}"
        behind["method"] = result["method"]
        return behind
    if verdict.status == "inconclusive" and verdict.stage == "construct" and own:
        # The class cannot even be built, and Keras's error is this rule's mistake.
        result["status"] = "confirmed"
    elif verdict.status in ("confirmed", "inconclusive") and blocker is not None and \
            (verdict.status == "confirmed" or verdict.stage == "construct"):
        result["status"] = "inconclusive"
        result["detail"] = (f"blocked by {blocker}: the round trip failed first with "
                            f"{verdict.detail}, which {blocker} predicts; fix it and verify again")
    elif verdict.status == "not-reproduced" and "; config only:" in verdict.method and \
            code in CALL_DEPENDENT:
        result["status"] = "inconclusive"
        result["detail"] = ("the class could only be saved without being called (config only), "
                            "so its build state and weights were not exercised")
    elif verdict.status == "not-reproduced" and blind_spot:
        result["status"] = "inconclusive"
        result["detail"] = f"{blind_spot} (the fresh instance round-tripped)"
    elif verdict.status == "not-reproduced" and untested_argument(message, verdict.method):
        result["status"] = "inconclusive"
        result["detail"] = (f"the verifier built the instance with "
                            f"{untested_argument(message, verdict.method)!r} at its default, "
                            "where losing it changes nothing; declare an example that sets it")
    elif verdict.status == "confirmed" and ((evidence and not own) or _too_early(verdict, message)):
        result["status"] = "inconclusive"
        result["detail"] = ("the round trip failed for another reason first, so this finding "
                            f"could not be observed: {verdict.detail}")
    return result


def _too_early(verdict, message: str) -> bool:
    observed = observed_stage(verdict.stage, verdict.detail)
    return observed is not None and precedes(observed, named_stages(message))


def summarize(violations: Sequence[Violation]) -> str:
    """``Verification: 3 confirmed, 0 not reproduced, 1 inconclusive.``"""
    counts = {"confirmed": 0, "not-reproduced": 0, "inconclusive": 0}
    for violation in violations:
        if violation.verification:
            counts[violation.verification["status"]] = \
                counts.get(violation.verification["status"], 0) + 1
    return (f"Verification: {counts['confirmed']} confirmed, {counts['not-reproduced']} not "
            f"reproduced, {counts['inconclusive']} inconclusive.")

