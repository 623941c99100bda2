"""Writing Keras names the way the module already does.

A fix that needs ``register_keras_serializable`` or ``serialize_keras_object`` reuses, in this
order: a name the module imported for exactly that function (``from keras.saving import
register_keras_serializable as register``), the module it lives in (``from keras import
saving``), then the module's own spelling of the Keras package (``keras``, ``K``, ``tf.keras``,
``from tensorflow import keras``). Only when none exists does the fix add ``import keras``.
TensorFlow spellings use ``utils`` (``tf.keras.utils.register_keras_serializable``), which
every tf.keras since 2.x has; the ``keras`` package uses ``saving``, Keras 3's home.
"""

from __future__ import annotations

import io
import tokenize
from dataclasses import dataclass

import libcst as cst

from kcheck.facts import keras_names
from kcheck.facts.cst_walk import walk
from kcheck.facts.project import ModuleInfo

_PACKAGE_ORDER = ("keras", "tensorflow.keras", "tensorflow", "tf_keras")


@dataclass(frozen=True)
class Spelled:
    """Source text for a Keras name, and the import it needs (None when the module has one)."""

    text: str
    needs: str | None = None


def keras_package(module: ModuleInfo) -> Spelled:
    """How *module* writes the Keras package itself: ``keras``, ``tf.keras``, an alias."""
    found: dict[str, str] = {}
    for local, bound in module.facts.imports.bindings.items():
        if bound.level == 0 and bound.name in _PACKAGE_ORDER and bound.name not in found:
            found[bound.name] = local
    for name in _PACKAGE_ORDER:
        if name in found:
            local = found[name]
            return Spelled(f"{local}.keras" if name == "tensorflow" else local)
    if any(b.level == 0 and b.name.startswith("tensorflow.")
           for b in module.facts.imports.bindings.values()) and _free(module, "tf"):
        return Spelled("tf.keras", "import tensorflow as tf")  # a tf.keras module stays one
    if not _free(module, "keras"):
        return Spelled("keras_", "import keras as keras_")  # a local `keras` shadows the package
    return Spelled("keras", "import keras")


def _free(module: ModuleInfo, name: str) -> bool:
    facts = module.facts
    return name not in facts.classes and name not in facts.functions and \
        name not in facts.imports.bindings and name not in facts.constants


def _from_tensorflow(module: ModuleInfo, package: Spelled) -> bool:
    if package.needs is not None:
        return package.needs.startswith("import tensorflow")
    head = package.text.split(".")[0]
    bound = module.facts.imports.bindings.get(head)
    return bound is not None and bound.name.startswith(("tensorflow", "tf_keras"))


def keras_function(module: ModuleInfo, name: str) -> Spelled:
    """``keras.saving.<name>`` (``register_keras_serializable``, ``serialize_keras_object``,
    ``deserialize_keras_object``) in the module's own spelling; worked out once per module and
    name (every fix asks, and a large module has hundreds of imports to look through)."""
    key = f"keras_function {name}"
    cached = module.memo.get(key)
    if cached is None:
        cached = module.memo[key] = _keras_function(module, name)
    return cached


def _keras_function(module: ModuleInfo, name: str) -> Spelled:
    wanted = {f"keras.saving.{name}", f"keras.utils.{name}"}
    homes = {"keras.saving", "keras.utils"}
    home_local = None
    for local, bound in module.facts.imports.bindings.items():
        if bound.level:
            continue
        canonical = keras_names.canonical(bound.name)
        if canonical in wanted:
            return Spelled(local)
        if canonical in homes and home_local is None:
            home_local = local
    if home_local is not None:
        return Spelled(f"{home_local}.{name}")
    package = keras_package(module)
    home = "utils" if _from_tensorflow(module, package) else "saving"
    return Spelled(f"{package.text}.{home}.{name}", package.needs)


def preferred_quote(module: ModuleInfo) -> str:
    """The quote character most of the module's first 40 plain string literals use (double by
    default); worked out once per module (kept on it, so no cache outlives the module's tree).
    A checked module's literals are read from its text, in source order: its tree may lack
    the bodies the cheap pass left out, and the fix must be the one a whole parse gives."""
    cached = module.memo.get("quote")
    if cached is not None:
        return cached
    if module.source is not None:
        single, double = _text_quotes(module.source)
    else:
        single, double = _tree_quotes(module.tree)
    quote = module.memo["quote"] = "'" if single > double else '"'
    return quote


_ENOUGH = 40  # literals looked at: enough to see a module's habit


def _text_quotes(text: str) -> tuple[int, int]:
    """(single, double) quotes of *text*'s first plain literals: each piece of an implicit
    concatenation, bytes too; triple-quoted strings and f-strings left out."""
    single = double = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type != tokenize.STRING:
                continue
            body = token.string.lstrip("rRbBuUfF")
            if "f" in token.string[:len(token.string) - len(body)].lower() or \
                    body[:3] in ('"""', "'''"):
                continue
            single += body[:1] == "'"
            double += body[:1] == '"'
            if single + double >= _ENOUGH:
                break
    except (tokenize.TokenError, SyntaxError):
        pass  # what was read so far decides
    return single, double


def _tree_quotes(tree: cst.Module) -> tuple[int, int]:
    single = double = 0
    for node in walk(tree):
        if isinstance(node, cst.SimpleString) and '"""' not in node.value[:4] \
                and "'''" not in node.value[:4]:
            quote = node.quote
            if quote == "'":
                single += 1
            elif quote == '"':
                double += 1
            if single + double >= _ENOUGH:
                break
    return single, double


def string_literal(value: str, quote: str) -> str:
    """*value* as a Python string literal in *quote*."""
    escaped = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
    return f"{quote}{escaped}{quote}"


def registration_package(module: ModuleInfo, configured: str | None) -> str:
    """The ``package=`` of a registration fix: the configured name, else the module's top-level
    package, else the file's stem (a script)."""
    if configured:
        return configured
    if "." in module.name or module.is_package:
        return module.top_package
    return module.path.stem
