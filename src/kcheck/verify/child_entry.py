"""What runs inside a child process: isolate it, run one phase, write the result file.

The parent reads results only from the file named in the request (never from stdout), so a
child that prints, exits or crashes cannot forge or garble a verdict. Run as
`python -m kcheck.verify.child_entry REQUEST.json` (spawn mode, under the supervisor in
zygote.py) or called in a forked child of the warm worker; either way the phase runs in the child
of a relay (reaping.run_relayed), never in a process that supervises it.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile

STAGE_LABELS = {"import": "import of the definitions"}


def isolate(request: dict) -> None:
    """Confine this process: memory cap, private working directory and temp dir, stdin closed,
    stdout/stderr into a log file. It stays in its relay's process group, which the supervisor
    kills as a whole (see reaping.py)."""
    cap_memory(request.get("memory_mb") or 0)
    cwd = request["cwd"]
    os.chdir(cwd)
    os.environ["TMPDIR"] = cwd
    tempfile.tempdir = cwd
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(null)
    os.close(log)


def cap_memory(memory_mb: int) -> None:
    """Limit the data segment (heap and private anonymous mappings) to `memory_mb`.

    RLIMIT_DATA rather than RLIMIT_AS: jax/XLA reserve far more address space than they use
    (about 1.7 GB of virtual memory for a 250 MB process), so an address-space cap small enough
    to matter breaks the backend; the data limit counts what is really allocated.
    """
    if memory_mb <= 0:
        return
    try:
        import resource
    except ImportError:  # Windows: no rlimits; the time limit still applies
        return
    limit = int(memory_mb) * 1024 * 1024
    for name in ("RLIMIT_DATA",):
        which = getattr(resource, name, None)
        if which is None:
            continue
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        try:
            resource.setrlimit(which, (limit, hard))
        except (ValueError, OSError):
            pass


def run_request(request: dict) -> dict:
    """Run the phase named in `request` and return the outcome record (never raises)."""
    from .outcomes import outcome
    from .root_cause import describe

    stage, current = "import", ""

    def enter(name: str, method: str = "") -> None:
        # Written before each step so that, if the child dies or hangs, the parent can still say
        # where and with which constructor call.
        nonlocal stage, current
        stage, current = name, method
        with open(request["stage_file"], "w", encoding="utf-8") as handle:
            handle.write(f"{name}\n{method}")

    memory_mb = request.get("memory_mb") or 0
    try:
        enter("import")
        try:
            module = _import_definitions(request)
        except Exception as error:  # noqa: BLE001
            from .outcomes import limit_reason

            reason = limit_reason(error, "import", memory_mb)
            return outcome("inconclusive", "", reason or f"import failed: {describe(error)}")
        from . import standins

        standins.reset()  # uses while importing only cost the statements that made them
        result = _run_phase(request, module, enter, memory_mb)
        return _judge_stand_ins(result, standins.touched_message())
    except SystemExit as error:
        return outcome("inconclusive", _public(stage),
                       f"user code called sys.exit({error.code!r}) during "
                       f"{STAGE_LABELS.get(stage, stage)}", current)
    except MemoryError:
        return outcome("inconclusive", _public(stage),
                       f"memory limit of {memory_mb} MB exceeded during {stage}", current)
    except BaseException as error:  # noqa: BLE001 - anything else is still a reportable result
        return outcome("inconclusive", _public(stage),
                       f"verifier error during {STAGE_LABELS.get(stage, stage)}: {describe(error)}",
                       current)


def _run_phase(request: dict, module, enter, memory_mb: int) -> dict:
    if request["phase"] == "save":
        from .save_phase import run_save

        return run_save(request["target"], module, request["artifacts"], enter, memory_mb)
    from .load_phase import run_load

    names = (request.get("target") or {}).get("custom_objects") or ()
    custom = {name: getattr(module, name) for name in names
              if module is not None and hasattr(module, name)}
    return run_load(request["artifacts"], enter, memory_mb, request.get("atol"), custom, module)


def _judge_stand_ins(result: dict, message: str | None) -> dict:
    """A phase that used a stand-in for a missing module proves nothing, whatever happened
    next (user code may have caught the error and carried on): inconclusive, naming it."""
    if message is None:
        return result
    return {**result, "outcome": "inconclusive", "detail": message}


def _public(stage: str) -> str:
    return "" if stage == "import" else stage


def _import_definitions(request: dict):
    from .definitions import load_definitions, load_named_modules

    if request.get("modules") is not None:  # assert_roundtrip: import the caller's modules
        for entry in request.get("sys_path", []):
            if entry not in sys.path:
                sys.path.append(entry)
        load_named_modules(request["modules"], request.get("module_files"))
        return None
    target = request["target"]
    return load_definitions(target["path"], target.get("import_mode", "strip"))


def write_result(path: str, result: dict) -> None:
    """Write the result atomically, so the parent never reads half a file."""
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    os.replace(partial, path)


def skip_tensorflow_probe() -> None:
    """Stop Keras from importing TensorFlow just to ask whether it is there.

    With TensorFlow installed, Keras imports it lazily while serializing (to recognise
    tf.TensorShape values), which costs 5-15 s in every child. The verifier runs another backend,
    so it tells Keras TensorFlow is unavailable, unless the user's code has imported it or
    KCHECK_VERIFY_TENSORFLOW=1 is set.
    """
    if os.environ.get("KCHECK_VERIFY_TENSORFLOW") or "tensorflow" in sys.modules:
        return
    try:
        from keras.src.utils import module_utils

        if module_utils.tensorflow._available is None:
            module_utils.tensorflow._available = False
    except (ImportError, AttributeError):
        pass  # another Keras layout: pay for the import rather than fail


def run_isolated(request: dict) -> None:
    """Isolate this process, run the request, write its result."""
    isolate(request)
    os.environ.setdefault("KERAS_BACKEND", "jax")
    try:
        import keras  # noqa: F401 - already imported in a warm worker's child

        skip_tensorflow_probe()
    except BaseException:  # noqa: BLE001 - the phase reports a broken keras itself
        pass
    result = run_request(request)
    keras = sys.modules.get("keras")
    try:
        result["backend"] = keras.backend.backend() if keras is not None else ""
    except Exception:  # noqa: BLE001 - a broken keras is reported by the phase itself
        result["backend"] = ""
    write_result(request["result"], result)


def main(argv: list[str] | None = None) -> None:
    """Spawn-mode entry point: `python -m kcheck.verify.child_entry REQUEST.json`."""
    argv = sys.argv[1:] if argv is None else argv
    with open(argv[0], encoding="utf-8") as handle:
        request = json.load(handle)
    if hasattr(os, "fork"):
        from .reaping import run_relayed

        run_relayed(lambda: run_isolated(request))  # user code runs in this relay's child
    run_isolated(request)
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown: user atexit hooks must not run or print


if __name__ == "__main__":
    main()
