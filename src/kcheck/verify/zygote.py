"""The processes that supervise user code: a warm worker, and a spawn-mode supervisor.

Warm worker (``python -m kcheck.verify.zygote``): imports Keras once, then forks one isolated
child per phase. Protocol (one JSON object per line): the parent writes {"request": PATH,
"timeout": SECONDS} on stdin; the worker answers on its original stdout, which it keeps to
itself (fd 1 is pointed at stderr so nothing else can write there), with {"exit": CODE,
"signal": SIG, "timed_out": BOOL, "elapsed": SECONDS}. The forked child has not run any user
code before, so a reload in it is as fresh as a new process, minus the three seconds of
importing Keras.

Spawn-mode supervisor (``python -m kcheck.verify.zygote --supervise REQUEST TIMEOUT``): starts
a fresh ``python -m kcheck.verify.child_entry REQUEST``, enforces the deadline and prints the
same status object. It imports neither Keras nor user code.

Both are child subreapers on Linux and kill every process below them when a phase ends
(:mod:`.reaping`); user code runs in a grandchild, below a relay, so it never runs as a direct
child of a supervisor, nor of the process that prints results.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from .reaping import become_subreaper, kill_descendants, run_relayed

POLL_SECONDS = 0.01


def main() -> None:
    """Import Keras, report readiness, then serve fork requests until stdin closes."""
    if sys.argv[1:2] == ["--supervise"]:
        print(json.dumps(supervise(sys.argv[2], float(sys.argv[3]))), flush=True)
        return
    become_subreaper()
    reply = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    try:
        os.environ.setdefault("KERAS_BACKEND", "jax")
        import keras  # noqa: F401 - the point of this worker is to pay for this import once
        import numpy  # noqa: F401

        from . import child_entry, load_phase, save_phase  # noqa: F401
    except BaseException as error:  # noqa: BLE001
        from .root_cause import describe

        reply.write(json.dumps({"ready": False, "error": describe(error)}) + "\n")
        return
    reply.write(json.dumps({"ready": True, "backend": keras.backend.backend()}) + "\n")
    for line in sys.stdin:
        if not line.strip():
            continue
        order = json.loads(line)
        reply.write(json.dumps(fork_and_wait(order["request"], order["timeout"], reply)) + "\n")


def fork_and_wait(request_path: str, timeout: float, reply) -> dict:
    """Run one request in a forked relay's child, killing its whole process group at the
    deadline and every process left below the worker when it ends."""
    from .child_entry import run_isolated

    with open(request_path, encoding="utf-8") as handle:
        request = json.load(handle)
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the relay; its child runs the request
        try:
            reply.close()  # user code must not reach the result channel
            os.close(0)
            os.setpgid(0, 0)
            run_relayed(lambda: run_isolated(request))
        finally:
            os._exit(70)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass  # the relay already did it, or has exited
    deadline = started + timeout
    timed_out, status = False, None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            timed_out = True
            _kill_group(pid, unreaped=True)
            _, status = os.waitpid(pid, 0)
            break
        time.sleep(POLL_SECONDS)
    _kill_group(pid)  # processes the user code started must not outlive it
    kill_descendants()  # nor those that left the group, nor the child if the relay died
    return _status_of(status, timed_out, started)


def _status_of(status: int, timed_out: bool, started: float) -> dict:
    return {
        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "timed_out": timed_out,
        "elapsed": time.monotonic() - started,
    }


def supervise(request_path: str, timeout: float) -> dict:
    """Spawn mode: run one request in a new interpreter (which relays it to its own child),
    with a deadline; return the status object."""
    become_subreaper()
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "kcheck.verify.child_entry", request_path],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=hasattr(os, "setsid"),
    )
    try:
        process.wait(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        _kill_group(process.pid, unreaped=True)
        process.wait()
        timed_out = True
    _kill_group(process.pid)
    kill_descendants()
    code = process.returncode
    status = {"exit": code if code >= 0 else None, "signal": -code if code < 0 else None,
              "timed_out": timed_out, "elapsed": time.monotonic() - started}
    return status


def _kill_group(pid: int, unreaped: bool = False) -> None:
    """SIGKILL the child's process group; `unreaped` also allows killing the child by pid, which
    is only safe before waitpid() has reaped it (afterwards the pid may belong to another)."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        if unreaped:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


if __name__ == "__main__":
    main()
