"""Parent side: verify targets in parallel, each in a temporary directory, and build Verdicts.

The parent never imports keras or the user's code; it only writes request files, waits for
child processes and reads their result files.
"""
from __future__ import annotations

import importlib.util
import json
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Sequence

from .availability import require_keras
from .targets import KINDS, Verdict, VerifyTarget
from .workers import SpawnWorker, WorkerDied, make_worker

PUBLIC_STAGES = ("construct", "call", "save", "load", "compare")
STATUS = {"confirmed": "confirmed", "inconclusive": "inconclusive", "same": "not-reproduced"}


def verify_targets(targets: Sequence[VerifyTarget], *, timeout: float = 60.0,
                   jobs: int | None = None, memory_mb: int = 4096,
                   progress: Callable[[int, int], None] | None = None) -> list[Verdict]:
    """Save each target's class to .keras, reload it in a fresh process, compare; one Verdict
    per target, in order. `timeout` is the wall-clock limit per target (save and reload
    together), `memory_mb` the data-segment cap of each child, `jobs` the number of targets
    verified at once (default: the number of CPUs). Raises VerifierUnavailable without keras.
    """
    require_keras()
    targets = list(targets)
    if not targets:
        return []
    jobs = max(1, min(len(targets), jobs or os.cpu_count() or 1))
    verdicts: list[Verdict | None] = [None] * len(targets)
    pending: queue.Queue = queue.Queue()
    for index in range(len(targets)):
        pending.put(index)
    done_lock, done = threading.Lock(), [0]

    backends = [choose_backend(target) for target in targets]

    def serve() -> None:
        home = tempfile.mkdtemp(prefix="kcheck-worker-")
        workers = {}  # one warm worker per backend this thread needs
        try:
            while True:
                try:
                    index = pending.get_nowait()
                except queue.Empty:
                    return
                backend = backends[index]
                if backend not in workers:
                    workers[backend] = make_worker(home, backend)
                try:
                    verdicts[index] = verify_one(targets[index], workers[backend], timeout,
                                                 memory_mb)
                except Exception as error:  # noqa: BLE001 - one target must not sink the batch
                    verdicts[index] = Verdict("inconclusive", f"verifier error: {error!r}",
                                              "not built")
                with done_lock:
                    done[0] += 1
                    if progress:
                        progress(done[0], len(targets))
        finally:
            for worker in workers.values():
                worker.close()
            remove_tree(home)

    threads = [threading.Thread(target=serve, name=f"kcheck-verify-{n}", daemon=True)
               for n in range(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [v or Verdict("inconclusive", "internal error: no verdict produced", "not built")
            for v in verdicts]


def choose_backend(target: VerifyTarget) -> str:
    """The backend a target's children run: the target's own, else the environment's
    KERAS_BACKEND, else tensorflow for a module that imports TensorFlow when it is installed,
    else "" (the worker's default, jax)."""
    if target.backend:
        return target.backend
    if os.environ.get("KERAS_BACKEND"):
        return ""
    if imports_tensorflow(target.path) and importlib.util.find_spec("tensorflow") is not None:
        return "tensorflow"
    return ""


def imports_tensorflow(path: str) -> bool:
    """The file imports tensorflow (any spelling), read with ast; False if it cannot be read."""
    import ast

    try:
        with open(path, encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError, RecursionError,
            MemoryError):
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(
                a.name.split(".")[0] == "tensorflow" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and not node.level and \
                (node.module or "").split(".")[0] == "tensorflow":
            return True
    return False


def verify_one(target: VerifyTarget, worker, timeout: float, memory_mb: int) -> Verdict:
    """Verify one target with `worker`; every failure of the machinery becomes inconclusive."""
    if target.kind not in KINDS:
        return Verdict("inconclusive", f"unknown kind {target.kind!r}; expected one of "
                       f"{', '.join(KINDS)}", "not built")
    if not os.path.isfile(target.path):
        return Verdict("inconclusive", f"import failed: {target.path} does not exist", "not built")
    workdir = tempfile.mkdtemp(prefix="kcheck-verify-")
    try:
        started = time.monotonic()
        save = run_phase(worker, workdir, "save", {"target": target.to_json()}, timeout,
                         memory_mb)
        method = save.get("method") or "not built"
        if save["outcome"] != "saved":
            return _verdict(save, method)
        remaining = max(timeout - (time.monotonic() - started), 1.0)
        load = run_phase(worker, workdir, "load", {"target": target.to_json()}, remaining,
                         memory_mb, timeout_label=timeout)
        return _verdict(load, method)
    finally:
        remove_tree(workdir)


def _verdict(result: dict, method: str, backend: str = "") -> Verdict:
    stage = result.get("stage", "")
    backend = result.get("backend", backend)
    workaround = result.get("workaround")
    return Verdict(STATUS.get(result["outcome"], "inconclusive"), result.get("detail", ""),
                   result.get("method") or method, stage if stage in PUBLIC_STAGES else "",
                   backend, _verdict(workaround, method, backend) if workaround else None)


def run_phase(worker, workdir: str, phase: str, fields: dict, timeout: float, memory_mb: int,
              timeout_label: float | None = None, atol: float | None = None) -> dict:
    """Run one phase in a child of `worker` inside `workdir`; return the child's outcome record,
    or an inconclusive one describing how the child failed to produce it."""
    artifacts = os.path.join(workdir, "artifacts")
    cwd = os.path.join(workdir, f"cwd-{phase}")  # the child's scratch space, removed with workdir
    os.makedirs(artifacts, exist_ok=True)
    os.makedirs(cwd, exist_ok=True)
    request = {
        "phase": phase, "artifacts": artifacts, "cwd": cwd, "memory_mb": memory_mb,
        "result": os.path.join(workdir, f"{phase}.result.json"),
        "stage_file": os.path.join(workdir, f"{phase}.stage"),
        "log": os.path.join(workdir, f"{phase}.log"), "atol": atol, **fields,
    }
    request_path = os.path.join(workdir, f"{phase}.request.json")
    with open(request_path, "w", encoding="utf-8") as handle:
        json.dump(request, handle)
    try:
        status = worker.run(request_path, timeout)
    except WorkerDied as error:
        stage, method = _read_stage(request["stage_file"])
        return {"outcome": "inconclusive", "stage": stage, "method": method,
                "detail": f"{error} (during {phase})"}
    result = _read_json(request["result"])
    stage, method = _read_stage(request["stage_file"])
    stage = stage or "startup"
    if status.get("timed_out"):
        limit = timeout_label if timeout_label is not None else timeout
        return {"outcome": "inconclusive", "stage": stage, "method": method,
                "detail": f"timed out after {limit:g}s during {stage}"}
    if result is not None:
        return result
    return {"outcome": "inconclusive", "stage": stage, "method": method,
            "detail": _death_note(status, stage, request["log"], memory_mb)}


def _death_note(status: dict, stage: str, log_path: str, memory_mb: int) -> str:
    if status.get("signal"):
        try:
            name = signal.Signals(status["signal"]).name
        except ValueError:
            name = f"signal {status['signal']}"
        note = f"child process was killed by {name} during {stage}"
        if name in ("SIGKILL", "SIGSEGV", "SIGABRT", "SIGBUS"):
            note += (f" (a crash in native code, the {memory_mb} MB memory limit, or user code "
                     "that killed it or its parent)")
    else:
        note = (f"child process exited with code {status.get('exit')} during {stage} without "
                "reporting a result (os._exit() in user code, or a crash)")
    tail = _log_tail(log_path)
    return note + (f"; last output: {tail}" if tail else "")


def _log_tail(path: str, limit: int = 200) -> str:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 4096))
            lines = handle.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return ""
    return lines[-1][:limit] if lines else ""


def _read_stage(path: str) -> tuple[str, str]:
    """(stage, method) the child last announced; empty strings if it never got that far."""
    try:
        with open(path, encoding="utf-8") as handle:
            stage, _, method = handle.read().partition("\n")
    except OSError:
        return "", ""
    return stage.strip(), method.strip()


def _read_json(path: str):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def remove_tree(path: str) -> None:
    """Delete a temporary tree, making read-only entries writable first if needed."""
    def unlock(function, name, _info):
        try:
            os.chmod(os.path.dirname(name), 0o700)
            os.chmod(name, 0o700)
            function(name)
        except OSError:
            pass

    shutil.rmtree(path, onerror=unlock)


__all__ = ["verify_targets", "verify_one", "run_phase", "remove_tree", "SpawnWorker"]
