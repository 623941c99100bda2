"""Which function bodies of a module no rule can read, so libcst never has to parse them.

libcst's parse is most of kcheck's time, and most of a real tree is code no rule looks at: the
tests of a library, helper functions, a model zoo's builder functions. This is the cheap pass:
from CPython's ``ast`` of the file and the outlines of the modules it refers to (which
:class:`~kcheck.facts.project.Project` resolves names and bases through exactly as through
parsed modules), it keeps whole

- every class Keras saves (the classes rules check) and its ancestors in the same file, and
  every class a registration could run through (used as a decorator, ``Cls(...)(obj)``);
- every statement that is not a function or class definition at module level;
- in every function or method whose body holds something the module-level facts read (a call
  that saves, loads or checkpoints, ``compile``/a Keras constructor given a function or lambda,
  ``custom_objects``, a registration, a constructor call of a class the module keeps whole,
  ``.build(...)`` with arguments, ``get_custom_objects()`` updates, Orbax), the statements of
  its body that hold such a call (module-level facts read calls one by one, never the
  statements around them);
- functions a registration could run through (decorators, ``f(...)(obj)``) and the module's
  functions they call;

and replaces the body of every other module-level function, of the other methods of classes
that are not kept, and each run of statements left out of a function's body, by one string
literal spanning their lines (``...`` on one line): libcst makes one node of it, where empty
lines would each cost three. Line and column
numbers of everything kept stay those of the file, and so do the module's names: a hollowed
function still has its decorators, parameters and name. Module-wide assignments, which
``model.save`` receivers are judged by, are read from the ast of the whole file
(:class:`kcheck.facts.outline.ModuleScan`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from kcheck.facts import keras_names
from kcheck.facts.callable_arguments import callable_slots, is_callable_keyword
from kcheck.facts.outline import DEFINITIONS, ModuleScan, ast_dotted_name, calls_inside
from kcheck.facts.project import ModuleInfo, Project
from kcheck.sources.python import source_lines

# Method names whose calls a module-level fact reads whatever the receiver (see
# kcheck.facts.save_calls, load_calls, callable_arguments).
_RECEIVER_METHODS = frozenset({"save", "save_weights", "load_weights"})
_COMPILE_KEYWORDS = frozenset({"loss", "metrics", "weighted_metrics"})
# Keras functions and classes whose calls module-level facts read by canonical name.
_KERAS_CALLS = frozenset({
    "keras.saving.save_model", "keras.models.save_model", "keras.models.load_model",
    "keras.saving.load_model", "keras.callbacks.ModelCheckpoint",
})


class _Module:
    """One module's cheap facts: its outline, its scan, and the names its code may refer to."""

    def __init__(self, tree: ast.Module, scan: ModuleScan, info: ModuleInfo, project: Project,
                 extra_decorators: frozenset[str]) -> None:
        self.scan, self.info, self.project, self.extra = scan, info, project, extra_decorators
        facts = info.facts
        self.classes = set(facts.classes)
        self.functions = set(facts.functions)
        self.known = self.classes | self.functions | set(facts.imports.bindings)
        self.known.update(_module_names(tree))
        # Classes whose constructor calls rules read (usage.constructor_sites is asked only
        # about the classes rules check and their ancestors, not about the classes kept for a
        # registration): set by reduced_source before any call is asked about.
        self.constructed: set[str] = set()
        # _nothing_matters asks first, then the hollowing: each is worked out once
        self._unit_answers: dict[int, bool] = {}
        self._call_answers: dict[int, bool] = {}
        # a callee's dotted name -> what its calls' answers need besides the call (see
        # _callee_answer): model code calls the same few names over and over
        self._callee_answers: dict[str, bool | tuple[frozenset[str], bool]] = {}
        self._register_answers: dict[str, bool] = {}

    def resolve(self, dotted: str):
        return self.project.resolve(self.info, dotted)

    def may_register(self, dotted: str | None) -> bool:
        """``dotted`` could be a registering decorator (registrations.is_registering_decorator
        answers True only for these); worked out once per name (``Layer(...)(x)`` repeats)."""
        if dotted is None:
            return False
        answer = self._register_answers.get(dotted)
        if answer is None:
            answer = self._register_answers[dotted] = self._may_register(dotted)
        return answer

    def _may_register(self, dotted: str) -> bool:
        if dotted in self.extra:
            return True
        target = self.resolve(dotted)
        if target.kind == "keras":
            return keras_names.is_register_function(target.name)
        if target.kind == "class":  # registers only through a __call__ of its own
            return target.cls is not None and "__call__" in target.cls.methods
        return target.kind == "function"

    def holds_callable(self, value: ast.expr) -> bool:
        """A lambda, or a name of this module or of an import, inside *value* (as
        callable_arguments reads it: the value, list/tuple elements, dict values)."""
        kind = type(value)
        if kind is ast.Name:  # the usual argument, without ast_dotted_name's loop
            return value.id in self.known
        if kind is ast.List or kind is ast.Tuple:
            return any(self.holds_callable(element) for element in value.elts)
        if kind is ast.Dict:
            return any(self.holds_callable(element) for element in value.values)
        if kind is ast.Lambda:
            return True
        name = ast_dotted_name(value)
        return name is not None and name.partition(".")[0] in self.known

    def call_matters(self, call: ast.Call) -> bool:
        """True when a module-level fact could read *call* (worked out once per call)."""
        key = id(call)
        answer = self._call_answers.get(key)
        if answer is None:
            answer = self._call_answers[key] = self._call_matters(call)
        return answer

    def _call_matters(self, call: ast.Call) -> bool:
        """The tests that read only the call come first; names are resolved last."""
        func = call.func
        kind = type(func)
        keywords = call.keywords
        if kind is ast.Attribute:
            attribute = func.attr
            if attribute in _RECEIVER_METHODS:
                return True
            if attribute == "compile" and any(
                    keyword.arg in _COMPILE_KEYWORDS and self.holds_callable(keyword.value)
                    for keyword in keywords):
                return True
            if attribute == "build" and (len(call.args) > 1 or keywords):
                return True
            if attribute == "update" and type(func.value) is ast.Call:
                return True
        for keyword in keywords:
            if keyword.arg == "custom_objects":
                return True
        if kind is ast.Call:
            return self.may_register(ast_dotted_name(func.func)) and any(
                ast_dotted_name(argument) is not None for argument in call.args)
        if kind is ast.Name:  # the usual callee, without ast_dotted_name's loop
            callee = func.id
        else:
            callee = ast_dotted_name(func)
            if callee is None:
                return False
        answer = self._callee_answers.get(callee)
        if answer is None:
            answer = self._callee_answers[callee] = self._callee_answer(callee)
        if answer is True or answer is False:
            return answer
        keywords_read, positional = answer
        if positional and any(self.holds_callable(argument) for argument in call.args):
            return True
        return any(keyword.arg is not None and (keyword.arg in keywords_read
                                                or is_callable_keyword(keyword.arg))
                   and self.holds_callable(keyword.value) for keyword in keywords)

    def _callee_answer(self, callee: str) -> bool | tuple[frozenset[str], bool]:
        """Whether a call of *callee* matters whatever its arguments (True, False), or the
        callable slots of the Keras constructor it names: then it matters when one of them
        holds a callable. The same for every call of *callee* in the module, since its names
        mean the same all through the cheap pass."""
        if "orbax" in callee.lower():
            return True
        if callee.partition(".")[0] not in self.known:
            return False  # a local name: never a Keras function or class
        target = self.resolve(callee)
        if target.kind == "class" and target.module is self.info:
            # constructs a class rules check, or an ancestor of one (usage.constructor_sites)
            return target.cls is not None and target.cls.name in self.constructed
        if target.kind != "keras":
            return False
        name = target.name
        if name in _KERAS_CALLS or keras_names.is_custom_object_scope(name):
            return True
        slots = _constructor_slots(name)
        return False if slots is None else slots

    def unit_matters(self, unit: ast.AST) -> bool:
        key = id(unit)
        answer = self._unit_answers.get(key)
        if answer is None:
            answer = self._unit_answers[key] = key in self.scan.subscript_units or any(
                self.call_matters(call) for call in self.scan.unit_calls.get(key, ()))
        return answer


# Canonical Keras name -> callable_slots of it when it is a Keras constructor, else None:
# the same few names are called thousands of times in a model zoo.
_CONSTRUCTOR_SLOTS: dict[str, tuple[frozenset[str], bool] | None] = {}


def _constructor_slots(name: str) -> tuple[frozenset[str], bool] | None:
    try:
        return _CONSTRUCTOR_SLOTS[name]
    except KeyError:
        slots = _CONSTRUCTOR_SLOTS[name] = callable_slots(name) \
            if keras_names.is_keras_constructor(name) else None
        return slots


def _module_names(tree: ast.Module) -> set[str]:
    """Names bound by module-level assignments (module constants)."""
    names = set()
    for statement in tree.body:
        targets = statement.targets if isinstance(statement, ast.Assign) else \
            [statement.target] if isinstance(statement, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            if type(target) is ast.Name:  # the usual target, without a walk
                names.add(target.id)
                continue
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    names.add(node.id)
    return names


def _called_names(node: ast.AST) -> Iterator[str]:
    for inner in calls_inside(node):
        name = ast_dotted_name(inner.func)
        if name is None and type(inner.func) is ast.Call:
            name = ast_dotted_name(inner.func.func)
        if name is not None:
            yield name


def _kept_definitions(module: _Module) -> tuple[set[str], set[str], set[str]]:
    """(class names, function names) whose whole bodies are kept for what they are: the
    classes rules check with their ancestors here, and what a registration could run
    through (decorators, ``f(...)(obj)``) with what that calls in turn; and the first of
    those alone (the classes rules check and their ancestors here)."""
    classes = set()
    for cls in module.project.keras_classes(module.info):
        classes.add(cls.name)
        classes.update(a.name for a in cls.ancestors if a.module is module.info)
    checked = set(classes)
    registering = module.scan.registration_names
    functions = {name for name in registering if name in module.functions}
    pending = [name for name in registering if name in module.classes]
    classes.update(pending)
    pending.extend(functions)
    while pending:
        for node in module.scan.definitions.get(pending.pop(), []):
            for name in _called_names(node):
                if name in module.functions and name not in functions:
                    functions.add(name)
                    pending.append(name)
                elif name in module.classes and name not in classes:
                    classes.add(name)
                    pending.append(name)
    return classes, functions, checked


def _nothing_matters(tree: ast.Module, module: _Module, checked: set[str]) -> bool:
    """No class rules check, no call or assignment any module-level fact reads, and no two
    definitions registrations could give one name: every rule's answer is already known to be
    "nothing".

    Without such calls a module's registrations can only matter to KS303 (two definitions
    under one ``package>name``): KS302 asks about functions passed to calls that matter, and
    KS301 about the classes rules check. A model zoo registers every class and builder under
    distinct names, so its modules need no libcst parse."""
    if checked or 0 in module.scan.subscript_units:
        return False
    if any(module.call_matters(call) for call in module.scan.other_calls):
        return False
    units = [statement for statement in tree.body if isinstance(statement, DEFINITIONS)]
    units += [member for statement in tree.body if isinstance(statement, ast.ClassDef)
              for member in statement.body if isinstance(member, DEFINITIONS)]
    if any(module.unit_matters(unit) for unit in units):
        return False
    return not _registered_names_may_meet(tree, module)


def _registered_names_may_meet(tree: ast.Module, module: _Module) -> bool:
    """Whether two definitions of the module body may be registered under one
    ``package>name``, as KS303 compares them. A decorator counts when it may register
    (:meth:`_Module.may_register`); the names are read as ``registrations._registered_name``
    reads them (a plain string as ``package=`` / ``name=`` or first / second argument, else
    ``"Custom"`` and the definition's name), with both readings of a string constant counted
    (libcst does not take implicitly concatenated strings as plain). A name defined twice, or
    unpacked arguments, count as a possible match."""
    owners: dict[tuple[str, str], str] = {}
    defined: set[str] = set()
    for statement in tree.body:
        if not isinstance(statement, (ast.ClassDef, *DEFINITIONS)):
            continue
        if statement.name in defined:
            return True
        defined.add(statement.name)
        keys = _possible_registered_names(statement, module)
        if keys is None or any(owners.setdefault(key, statement.name) != statement.name
                               for key in keys):
            return True
    return False


def _possible_registered_names(definition: ast.ClassDef | ast.FunctionDef,
                               module: _Module) -> set[tuple[str, str]] | None:
    """Every ``(package, name)`` the decorators of *definition* may register it under; None
    when an argument is unpacked (``*args``, ``**kwargs``)."""
    keys: set[tuple[str, str]] = set()
    for decorator in definition.decorator_list:
        call = decorator if type(decorator) is ast.Call else None
        if not module.may_register(ast_dotted_name(call.func if call is not None
                                                   else decorator)):
            continue
        packages, names = {"Custom"}, {definition.name}
        if call is not None:
            if any(type(argument) is ast.Starred for argument in call.args) or \
                    any(keyword.arg is None for keyword in call.keywords):
                return None
            given = [(index, None, argument) for index, argument in enumerate(call.args)]
            given += [(None, keyword.arg, keyword.value) for keyword in call.keywords]
            for index, keyword, value in given:
                if type(value) is not ast.Constant or type(value.value) is not str:
                    continue
                if keyword == "package" or index == 0:
                    packages.add(value.value)
                elif keyword == "name" or index == 1:
                    names.add(value.value)
        keys.update((package, name) for package in packages for name in names)
    return keys


def _run_span(run: list[ast.stmt], lines: list[str],
              next_line: int | None) -> tuple[int, int, str] | None:
    """(first, last, indentation) of consecutive statements of one body when they sit on lines
    of their own; *next_line* is where the body's next statement starts, if one follows."""
    first, last = run[0], run[-1]
    decorators = getattr(first, "decorator_list", None)
    if decorators:  # a nested decorated definition starts at its first decorator's ``@``
        start, column = decorators[0].lineno, decorators[0].col_offset - 1
    else:
        start, column = first.lineno, first.col_offset
    prefix = lines[start - 1].encode("utf-8")[:column]
    if prefix.strip():
        return None  # ``def f(): return 1``: the body shares the header's line
    if next_line is not None and next_line <= last.end_lineno:
        return None  # ``a = 1; b = 2`` with only one of them left out
    return start, last.end_lineno, prefix.decode("utf-8")


def _hollowable(function: ast.AST, lines: list[str]) -> tuple[int, int, str] | None:
    """(first, last, indentation) of a function body that sits on lines of its own."""
    return _run_span(function.body, lines, None)


def _unread_runs(unit: ast.AST, module: _Module,
                 lines: list[str]) -> list[tuple[int, int, str]]:
    """Spans of the runs of statements in a kept unit's body that hold no call a module-level
    fact reads. A unit holding ``call(...)[key] = value`` is kept whole."""
    if id(unit) in module.scan.subscript_units:
        return []
    read = [call.lineno for call in module.scan.unit_calls.get(id(unit), ())
            if module.call_matters(call)]
    return _runs_left_out(unit.body, lines, lambda statement: not any(
        statement.lineno <= line <= statement.end_lineno for line in read))


def _runs_left_out(body: list[ast.stmt], lines: list[str],
                   left_out) -> list[tuple[int, int, str]]:
    """Spans of the runs of consecutive statements of *body* that *left_out* accepts."""
    spans = []
    run: list[ast.stmt] = []
    for statement in [*body, None]:
        if statement is not None and left_out(statement):
            run.append(statement)
            continue
        if run:
            span = _run_span(run, lines, statement.lineno if statement is not None else None)
            if span is not None:
                spans.append(span)
            run = []
    return spans


def reduced_source(text: str, tree: ast.Module, scan: ModuleScan, path: Path,
                   project: Project, extra_decorators: frozenset[str] = frozenset()
                   ) -> str | None:
    """*text* with the bodies no rule can read replaced by a string; None when every body may
    matter; ``""`` when nothing in the module can matter to any rule, so that libcst need not
    parse it at all. *tree* is ``ast.parse(text)``, *scan* its :func:`scan_module`; *project*
    the checked tree."""
    info = project.outline_of(path, tree, scan.function_imports)
    module = _Module(tree, scan, info, project, extra_decorators)
    kept_classes, kept_functions, checked = _kept_definitions(module)
    module.constructed = checked
    if _nothing_matters(tree, module, checked):
        return ""
    spans: list[tuple[int, int, str]] = []  # (first line, last line, indentation)
    lines = source_lines(text)
    blanks: list[tuple[int, int, int]] = []  # (line, first column, end column)
    for statement in tree.body:
        if isinstance(statement, DEFINITIONS):
            if statement.name in kept_functions:
                continue
            blanks.extend(_parameter_blanks(statement, module, lines))
            if module.unit_matters(statement):
                spans.extend(_unread_runs(statement, module, lines))
            else:
                span = _hollowable(statement, lines)
                if span is not None:
                    spans.append(span)
        elif isinstance(statement, ast.ClassDef) and statement.name not in kept_classes:
            spans.extend(_dropped_members(statement, module, lines))
            spans.extend(span for member in statement.body
                         if isinstance(member, DEFINITIONS) and module.unit_matters(member)
                         for span in _unread_runs(member, module, lines))
    if not spans and not blanks:
        return None
    for number, start, end in blanks:
        content = lines[number - 1]
        lines[number - 1] = content[:start] + " " * (end - start) + content[end:]
    for first, last, indentation in spans:
        for number in range(first, last + 1):
            content = lines[number - 1]
            ending = content[len(content.rstrip("\r\n")):]
            if first == last:
                content = indentation + "..."
            elif number == first:
                content = indentation + '"""'
            else:
                content = '"""' if number == last else ""
            lines[number - 1] = content + ending
    return "".join(lines)


_DEF_OPENING = re.compile(r"(?:async\s+)?def\s+\w+\s*\(")
_BETWEEN_PARAMETERS = " \t\f,\\"


def _char_column(line: str, byte_offset: int) -> int:
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", "replace"))


def _parameter_blanks(function: ast.AST, module: _Module,
                      lines: list[str]) -> list[tuple[int, int, int]]:
    """(line, first column, end column) of the text between a module-level function's
    parentheses, to be blanked with spaces: nothing reads a module function's parameters (only
    its name, decorators and the calls in its body), and a model zoo's builders have dozens
    of them with defaults, most of what libcst still had to parse of them. Every line and
    column stays where it was. Nothing is blanked when the body starts on the line the
    parameters end, a default holds a call that matters, or the text is unusual (``/`` last,
    type parameters, a parenthesized last default)."""
    line = lines[function.lineno - 1]
    opened = _DEF_OPENING.match(line, _char_column(line, function.col_offset))
    if opened is None:
        return []
    arguments = function.args
    parts = [*arguments.posonlyargs, *arguments.args, arguments.vararg, *arguments.kwonlyargs,
             arguments.kwarg, *arguments.defaults, *arguments.kw_defaults]
    row, column = function.lineno, opened.end()
    # the last end, in bytes: on one line a later byte is a later character
    last = max(((part.end_lineno, part.end_col_offset) for part in parts if part is not None),
               default=None)
    close_row, close_column = (row, column) if last is None else \
        (last[0], _char_column(lines[last[0] - 1], last[1]))
    body = function.body[0].lineno
    while True:  # on to the closing parenthesis, past commas, spaces and comments
        text = lines[close_row - 1].rstrip("\r\n")
        while close_column < len(text) and text[close_column] in _BETWEEN_PARAMETERS:
            close_column += 1
        if close_column < len(text) and text[close_column] == ")":
            if not text[close_column + 1:].lstrip(" \t\f").startswith((":", "->", "\\")):
                return []  # a parenthesized default's own ``)``, not the list's
            break
        if close_column < len(text) and text[close_column] != "#":
            return []
        close_row, close_column = close_row + 1, 0
        if close_row >= body:
            return []
    if close_row >= body or any(row <= call.lineno <= close_row and module.call_matters(call)
                                for call in module.scan.unit_calls.get(id(function), ())):
        return []
    blanks = []
    for number in range(row, close_row + 1):
        first = column if number == row else 0
        end = close_column if number == close_row else len(lines[number - 1].rstrip("\r\n"))
        if end > first:
            blanks.append((number, first, end))
    return blanks


def _dropped_members(cls: ast.ClassDef, module: _Module,
                     lines: list[str]) -> list[tuple[int, int, str]]:
    """Spans of a class Keras never saves that hold only methods nothing reads: runs of such
    methods, decorators included, each becoming one string. Nothing reads the methods of such
    a class (only its name and bases matter), so they are left out whole, not kept as stubs."""
    return _runs_left_out(cls.body, lines, lambda member: isinstance(member, DEFINITIONS)
                          and not module.unit_matters(member))
