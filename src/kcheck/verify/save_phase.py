"""Child side, first process: build the object, run it, save it, record the reference."""
from __future__ import annotations

import inspect
import json
import os

from .construction import Candidate, example_candidates, plan_synthesis, synthesis_candidates
from .outcomes import failure, is_contract_error, limit_reason, outcome
from .root_cause import describe
from .samples import fill, module_samples, sample_inputs, sample_pair, sample_weight_matrix
from .snapshot import layer_record, object_record, weight_values

LAYER_KINDS = ("layer", "model")
MODEL_FILE = "model.keras"
OBJECT_FILE = "object.json"
REFERENCE_FILE = "reference.json"
ARRAYS_FILE = "arrays.npz"


def run_save(target: dict, module, artifacts: str, enter, memory_mb: int) -> dict:
    """Build, call and save the target's class; write the reference for the reload child."""
    if target["kind"] == "save-path":
        from .save_path_probe import run_save_path

        return run_save_path(target, enter)
    cls = _lookup(module, target["class_name"])
    if cls is None:
        return outcome("inconclusive", "construct", _missing_class(module, target))
    namespace = _namespace(module)
    if target["kind"] in LAYER_KINDS:
        return _save_layer(cls, target, namespace, artifacts, enter, memory_mb)
    return _save_object(cls, target, namespace, artifacts, enter, memory_mb)


def _missing_class(module, target: dict) -> str:
    """Why the class is not there: usually its own statement (or one it needs) was skipped."""
    from .definitions import SKIPPED_ATTRIBUTE

    name = target["class_name"].split(".")[0]
    detail = f"{name} is not defined at the top level of {target['path']} after import"
    skipped = getattr(module, SKIPPED_ATTRIBUTE, None) or []
    own = [(line, error) for line, names, error in skipped if name in names]
    if own:
        line, error = own[0]
        return f"{detail}: its definition (line {line}) raised {error}"
    if skipped:
        line, names, error = skipped[0]
        return f"{detail} (line {line} defining {', '.join(names)} raised {error})"
    return detail


def _lookup(module, name: str):
    """The class by name; a dotted name (``keras.layers.Dense``, for a finding about a call of a
    built-in layer) is looked up through the module's namespace."""
    if "." not in name:
        return getattr(module, name, None)
    head, *rest = name.split(".")
    value = _namespace(module).get(head)
    for part in rest:
        value = getattr(value, part, None)
    return value


def _namespace(module) -> dict:
    import keras
    import numpy as np

    namespace = dict(vars(module))
    namespace.setdefault("keras", keras)
    namespace.setdefault("np", np)
    return namespace


def _candidates(cls, target: dict) -> list[Candidate]:
    if inspect.isfunction(cls):  # a plain function (e.g. a loss): nothing to construct
        return [Candidate(target["class_name"], f"the function {target['class_name']} itself")]
    if "." in target["class_name"]:
        # A finding about a call of a built-in layer (`Dense(4, activation=twice)`): only that
        # call, as written, shows it; a synthesised Dense would say nothing about it.
        return example_candidates(target, cls)
    return example_candidates(target, cls) + synthesis_candidates(cls, target)


def _construct(candidate: Candidate, namespace: dict):
    return eval(candidate.expression, namespace)  # noqa: S307 - examples are the user's own code


def _could_not_construct(cls, target, attempts: list) -> dict:
    plan = plan_synthesis(cls, target.get("param_hints") or {}) if inspect.isclass(cls) else None
    name = target["class_name"]
    if plan and plan.unguessable:
        params = ", ".join(repr(p) for p in plan.unguessable)
        detail = (f"could not construct {name}: no value could be guessed for required "
                  f"parameter {params}; declare an example in [tool.kcheck.examples]")
        if attempts:
            detail += f" (last attempt {attempts[-1][0]} raised {attempts[-1][1]})"
        return outcome("inconclusive", "construct", detail)
    expression, error = attempts[-1]
    params = [p for p in (plan.required if plan else {}) if p in error]
    which = f" parameter {params[0]!r}:" if params else ""
    return outcome("inconclusive", "construct",
                   f"could not construct {name}:{which} {expression} raised {error}")


def _fallback_note(method: str, first_failure: tuple | None) -> str:
    if first_failure is None:
        return method
    expression, error = first_failure
    return f"{method}; fell back after {expression} raised {error[:150]}"


def _save_layer(cls, target, namespace, artifacts, enter, memory_mb) -> dict:
    import keras
    import numpy as np

    attempts, call_failures, first_failure = [], [], None
    built = None
    own_inputs = None
    for candidate in _candidates(cls, target):
        if own_inputs is None:  # evaluated once, after the module's names are all defined
            own_inputs = module_samples(target.get("inputs") or (), namespace,
                                        os.path.basename(target["path"]))
        for sample in sample_inputs(cls, own_inputs):
            enter("construct", candidate.method)
            try:
                obj = _construct(candidate, namespace)
            except Exception as error:  # noqa: BLE001
                reason = limit_reason(error, "construct", memory_mb)
                if reason:
                    return outcome("inconclusive", "construct", reason, candidate.method)
                attempts.append((candidate.expression, describe(error)))
                first_failure = first_failure or attempts[-1]
                break
            enter("call", candidate.method)
            try:
                model, layer_index, outputs = _run(obj, sample, target["kind"])
            except Exception as error:  # noqa: BLE001
                reason = limit_reason(error, "call", memory_mb)
                if reason or is_contract_error(error):
                    return failure(error, "call", candidate.method, memory_mb)
                call_failures.append((candidate, sample, describe(error)))
                continue
            built = (candidate, sample, obj, model, layer_index, outputs)
            break
        if built:
            break
        if call_failures and call_failures[-1][0] is candidate:
            first_failure = first_failure or (candidate.expression, call_failures[-1][2])
    if built is None and target.get("builders") and target["kind"] == "layer":
        from .in_context import save_in_context

        alone = _alone_failure(cls, target, attempts, call_failures)
        result = save_in_context(cls, target, namespace, artifacts, enter, memory_mb, alone)
        if result is not None:
            return result
    if built is None:
        if call_failures:
            candidate, _, error = call_failures[0]
            tried = sorted({s.describe() for c, s, _ in call_failures if c is candidate})
            why = (f"could not find an input {target['class_name']} accepts: tried "
                   f"{'; '.join(tried)}; first error: {error}")
            result = _save_config_only(candidate, target, namespace, artifacts, enter,
                                       memory_mb, error)
            return result or outcome("inconclusive", "call", why, candidate.method)
        return _could_not_construct(cls, target, attempts)

    candidate, sample, obj, model, layer_index, outputs = built
    method = _fallback_note(candidate.method, first_failure) + f"; input {sample.describe()}"
    enter("save", method)
    try:
        model.save(os.path.join(artifacts, MODEL_FILE))
    except Exception as error:  # noqa: BLE001
        result = failure(error, "save", method, memory_mb)
        return _lookup_probe(result, obj, model, artifacts, target["kind"]) or result
    repeat = _flat_outputs(model.predict(_feed(sample), verbose=0))
    deterministic = len(repeat) == len(outputs) and all(
        np.array_equal(a, b, equal_nan=True) for a, b in zip(outputs, repeat))
    layer = model if target["kind"] == "model" else model.layers[layer_index]
    reference = {
        "kind": target["kind"], "layer_index": layer_index, "as_list": sample.as_list,
        "feed_template": sample.feed_template(),
        "record": layer_record(layer), "deterministic": deterministic,
        "keras_version": keras.__version__,
    }
    arrays = {f"x{i}": a for i, a in enumerate(sample.arrays)}
    arrays.update({f"y{i}": a for i, a in enumerate(outputs)})
    arrays.update({f"w{i}": a for i, a in enumerate(weight_values(layer))})
    _write_reference(artifacts, reference, arrays)
    return outcome("saved", "save", "", method)


GET_CONFIG_REFUSALS = ("must override `get_config()`", "does not implement get_config()")


def _lookup_probe(result: dict, obj, model, artifacts: str, kind: str) -> dict | None:
    """Keras refused to save because the class cannot produce a config: save once more with
    get_config() returning only the base keys (name, trainable), so the reload child can still show
    whether Keras finds the class by name at load (it looks the class up before calling
    from_config, whatever the config holds). The reload's verdict is attached to the save
    failure as its workaround; None when this does not apply."""
    import keras

    if result["outcome"] != "confirmed" or not any(t in result["detail"]
                                                   for t in GET_CONFIG_REFUSALS):
        return None
    cls = type(obj)
    original = cls.__dict__.get("get_config")
    # The base keys only: Keras's own get_config() would try the same generated config again.
    cls.get_config = lambda self: {"name": self.name, "trainable": self.trainable}
    try:
        model.save(os.path.join(artifacts, MODEL_FILE))
    except Exception:  # noqa: BLE001 - the first failure stands alone
        return None
    finally:
        if original is None:
            del cls.get_config
        else:
            cls.get_config = original
    _write_reference(artifacts, {"kind": kind, "lookup_probe": True, "first": result,
                                 "keras_version": keras.__version__}, {})
    return outcome("saved", "save", "", result["method"])


def _short_error(text: str, limit: int = 160) -> str:
    """The user's own message inside Keras's "Exception encountered when calling ..." wrapper,
    without terminal colour codes."""
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    if "Error encountered:" in text:
        text = text.split("Error encountered:", 1)[1].split("Arguments received", 1)[0]
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _save_config_only(candidate, target, namespace, artifacts, enter, memory_mb,
                      call_error: str) -> dict | None:
    """No input was accepted (or calling needs a missing module): save a fresh, never-called
    instance in an unbuilt model and compare config and attributes only. Keras still looks the
    class up, passes the config to its constructor and rebuilds it at load, which is what most
    findings are about; weights and outputs are not compared, and `method` says so. None when
    the fresh instance cannot be built or already uses a stand-in."""
    import keras

    from . import standins

    earlier = len(standins.TOUCHED)  # uses by the failed calls of discarded instances
    why = standins.touched_message() or f"no input was accepted: {_short_error(call_error)}"
    method = (f"{candidate.method}; config only: the {target['kind']} was never called, so "
              f"weights and outputs are not compared ({why})")
    enter("construct", method)
    try:
        obj = _construct(candidate, namespace)
    except Exception:  # noqa: BLE001 - it constructed before; a second failure is no evidence
        return None
    if len(standins.TOUCHED) > earlier:
        return None
    model = obj if target["kind"] == "model" else keras.Sequential([obj])
    enter("save", method)
    try:
        model.save(os.path.join(artifacts, MODEL_FILE))
    except Exception as error:  # noqa: BLE001
        result = failure(error, "save", method, memory_mb)
        result = _lookup_probe(result, obj, model, artifacts, target["kind"]) or result
    else:
        layer = model if target["kind"] == "model" else model.layers[0]
        reference = {
            "kind": target["kind"], "layer_index": -1 if target["kind"] == "model" else 0,
            "config_only": True, "record": layer_record(layer), "deterministic": True,
            "keras_version": keras.__version__,
        }
        _write_reference(artifacts, reference, {})
        result = outcome("saved", "save", "", method)
    # The verdict rests on the fresh instance: what the discarded ones touched is moot, while
    # a stand-in the fresh one used while saving stays on the list and makes it inconclusive.
    del standins.TOUCHED[:earlier]
    return result


def _feed(sample):
    return fill(sample.feed_template(), sample.arrays)


def _alone_failure(cls, target, attempts, call_failures) -> str:
    """One line on why the class could not be built and called alone."""
    if call_failures:
        return f"alone, no input was accepted ({call_failures[0][2][:150]})"
    if attempts:
        return f"alone, {attempts[-1][0]} raised {attempts[-1][1][:150]}"
    return "alone, it could not be built"


def _flat_outputs(value) -> list:
    import keras
    import numpy as np

    return [np.asarray(keras.ops.convert_to_numpy(v)) for v in keras.tree.flatten(value)]


def _run(obj, sample, kind):
    """Wrap a layer in a functional model (models are called directly), predict on `sample`."""
    import keras

    if kind == "model":
        obj(_feed(sample))  # builds a subclassed model
        return obj, -1, _flat_outputs(obj.predict(_feed(sample), verbose=0))
    tensors = [keras.Input(shape=a.shape[1:], dtype=a.dtype.name) for a in sample.arrays]
    out = obj(*fill(sample.args_template(), tensors))
    model = keras.Model(fill(sample.feed_template(), tensors), out)
    layer_index = next(i for i, layer in enumerate(model.layers) if layer is obj)
    return model, layer_index, _flat_outputs(model.predict(_feed(sample), verbose=0))


def _write_reference(artifacts: str, reference: dict, arrays: dict) -> None:
    import numpy as np

    with open(os.path.join(artifacts, REFERENCE_FILE), "w", encoding="utf-8") as handle:
        json.dump(reference, handle)
    np.savez(os.path.join(artifacts, ARRAYS_FILE), **arrays)


def evaluate_object(obj, kind: str) -> list:
    """Run a non-layer object on fixed sample data; returns its result as numpy arrays."""
    import keras
    import numpy as np

    def arrays(value):
        return [np.asarray(keras.ops.convert_to_numpy(v)) for v in keras.tree.flatten(value)]

    if kind == "loss":
        return arrays(obj(*sample_pair()))
    if kind == "metric":
        obj.update_state(*sample_pair())
        return arrays(obj.result())
    if kind == "initializer":
        keras.utils.set_random_seed(0)  # unseeded random initializers must agree across processes
        return arrays(obj(shape=(3, 4)))
    if kind in ("regularizer", "constraint"):
        return arrays(obj(sample_weight_matrix()))
    if kind == "schedule":
        return arrays(obj(10))
    return []  # optimizers: the config round trip is the check


def _save_object(cls, target, namespace, artifacts, enter, memory_mb) -> dict:
    import keras

    kind = target["kind"]
    attempts, evaluated, first_failure = [], None, None
    for candidate in _candidates(cls, target):
        enter("construct", candidate.method)
        try:
            obj = _construct(candidate, namespace)
        except Exception as error:  # noqa: BLE001
            reason = limit_reason(error, "construct", memory_mb)
            if reason:
                return outcome("inconclusive", "construct", reason, candidate.method)
            attempts.append((candidate.expression, describe(error)))
            first_failure = first_failure or attempts[-1]
            continue
        enter("call", candidate.method)
        try:
            result = evaluate_object(obj, kind)
        except Exception as error:  # noqa: BLE001
            reason = limit_reason(error, "call", memory_mb)
            if reason:
                return outcome("inconclusive", "call", reason, candidate.method)
            attempts.append((candidate.expression, describe(error)))
            first_failure = first_failure or attempts[-1]
            evaluated = evaluated or (candidate, describe(error))
            continue
        method = _fallback_note(candidate.method, first_failure)
        enter("save", method)
        try:
            payload = json.dumps(keras.saving.serialize_keras_object(obj))
        except Exception as error:  # noqa: BLE001
            return failure(error, "save", method, memory_mb)
        with open(os.path.join(artifacts, OBJECT_FILE), "w", encoding="utf-8") as handle:
            handle.write(payload)
        record = object_record(obj) if not inspect.isfunction(obj) else {}
        reference = {"kind": kind, "record": record, "deterministic": True}
        _write_reference(artifacts, reference, {f"y{i}": a for i, a in enumerate(result)})
        return outcome("saved", "save", "", method)
    if evaluated:
        candidate, error = evaluated
        return outcome("inconclusive", "call",
                       f"could not evaluate {target['class_name']} on a sample {kind} input: "
                       f"{error}", candidate.method)
    return _could_not_construct(cls, target, attempts)
