"""Parent side: processes that run one child phase at a time, with a wall-clock limit.

`WarmWorker` keeps a long-lived process that has imported Keras and forks a child per phase
(Linux/macOS); `SpawnWorker` starts a fresh interpreter per phase (anywhere, ~3 s slower). Both
return the same status dict: exit code, signal, whether the deadline killed it.
"""
from __future__ import annotations

import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import time

# The worker itself may need a moment beyond the child's limit to kill and reap it.
WORKER_GRACE_SECONDS = 30.0
STARTUP_SECONDS = 180.0


class WorkerDied(RuntimeError):
    """The warm worker exited or stopped answering; it is restarted for the next target."""


def keras_home(cwd: str) -> str:
    """A scratch KERAS_HOME under *cwd*, holding a copy of the user's keras.json if any.

    Keras writes ``keras.json`` into its home folder on first import when there is none; the
    verifier must not create ``~/.keras`` in the user's home. The copy keeps the user's
    settings (floatx, epsilon, image_data_format) in force."""
    home = os.path.join(cwd, "keras-home")
    os.makedirs(home, exist_ok=True)
    user_home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    try:
        shutil.copyfile(os.path.join(user_home, "keras.json"), os.path.join(home, "keras.json"))
    except OSError:
        pass  # none, or unreadable: Keras's defaults apply
    return home


def child_environment(cwd: str | None = None, backend: str = "") -> dict:
    """Environment for verifier processes: jax on CPU by default (or `backend`), kcheck
    importable, no .pyc files written next to the user's sources, quiet TensorFlow logging, and
    a scratch Keras home under *cwd*."""
    env = dict(os.environ)
    if cwd is not None:
        env["KERAS_HOME"] = keras_home(cwd)
    if backend or not env.get("KERAS_BACKEND"):  # an empty KERAS_BACKEND means unset
        env["KERAS_BACKEND"] = backend or "jax"
    env.setdefault("JAX_PLATFORMS", "cpu")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    return env


def _status(code, timed_out: bool, started: float) -> dict:
    return {
        "exit": code if code is not None and code >= 0 else None,
        "signal": -code if code is not None and code < 0 else None,
        "timed_out": timed_out,
        "elapsed": time.monotonic() - started,
    }


class SpawnWorker:
    """Runs each phase in a new interpreter (`python -m kcheck.verify.child_entry`), under a
    supervisor process (`python -m kcheck.verify.zygote --supervise`) that enforces the deadline
    and reaps what the phase started, so user code is never a child of this process."""

    def __init__(self, cwd: str, backend: str = ""):
        self.cwd = cwd
        self.backend = backend

    def run(self, request_path: str, timeout: float) -> dict:
        """Run one request; raise WorkerDied when the supervisor gives no status."""
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "kcheck.verify.zygote", "--supervise", request_path,
             repr(float(timeout))],
            cwd=self.cwd, env=child_environment(self.cwd, self.backend),
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=hasattr(os, "setsid"),
        )
        try:
            output, _ = process.communicate(timeout=timeout + WORKER_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            _kill_process_group(process)
            process.communicate()
            return _status(None, True, started)
        finally:
            _kill_process_group(process)
        try:
            status = json.loads(output.decode("utf-8", "replace").strip().splitlines()[-1])
        except (ValueError, IndexError):
            code = process.returncode
            how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
            raise WorkerDied(f"the verifier's supervising process {how} without a status "
                             "(user code may have killed it)") from None
        status["elapsed"] = time.monotonic() - started
        return status

    def close(self) -> None:
        """Nothing to stop: every child is gone when run() returns."""


class WarmWorker:
    """A long-lived `python -m kcheck.verify.zygote` that forks one child per phase."""

    def __init__(self, cwd: str, backend: str = ""):
        self.cwd = cwd
        self.backend = backend
        self.process: subprocess.Popen | None = None
        self.stderr_path = os.path.join(cwd, f"worker{'-' + backend if backend else ''}.log")

    def _start(self) -> None:
        self._stderr = open(self.stderr_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kcheck.verify.zygote"], cwd=self.cwd,
            env=child_environment(self.cwd, self.backend), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._stderr, start_new_session=True,
        )
        ready = self._read_line(STARTUP_SECONDS)
        if not ready.get("ready"):
            self.close()
            raise WorkerDied("the verifier worker could not import keras: "
                             + ready.get("error", "no reason given"))

    def _read_line(self, timeout: float) -> dict:
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        try:
            if not selector.select(timeout):
                raise WorkerDied(f"the verifier worker did not answer within {timeout:.0f}s")
        finally:
            selector.close()
        line = self.process.stdout.readline()
        if not line:
            raise WorkerDied(f"the verifier worker exited{self._exit_note()}")
        try:
            return json.loads(line)
        except ValueError as error:
            raise WorkerDied(
                f"the verifier worker sent an unreadable answer: {line[:80]!r}") from error

    def _exit_note(self) -> str:
        code = self.process.poll() if self.process else None
        return f" with code {code}" if code is not None else ""

    def run(self, request_path: str, timeout: float) -> dict:
        """Ask the worker to fork a child for one request; restart the worker if it dies."""
        if self.process is None or self.process.poll() is not None:
            self._start()
        order = json.dumps({"request": request_path, "timeout": timeout}) + "\n"
        try:
            self.process.stdin.write(order.encode())
            self.process.stdin.flush()
            return self._read_line(timeout + WORKER_GRACE_SECONDS)
        except (OSError, WorkerDied):
            self.close()
            raise

    def close(self) -> None:
        """Stop the worker. It holds no state and all its children are reaped, so it is killed
        rather than left to spend seconds tearing down jax at interpreter exit."""
        if self.process is None:
            return
        process, self.process = self.process, None
        try:
            process.stdin.close()
        except OSError:
            pass
        if process.poll() is None:
            _kill_process_group(process)
        process.wait()
        process.stdout.close()
        self._stderr.close()


def _kill_process_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):
        if process.poll() is None:
            process.kill()


def make_worker(cwd: str, backend: str = ""):
    """A WarmWorker on Linux and KCHECK_VERIFY_SPAWN is unset, else a SpawnWorker; `backend`
    sets KERAS_BACKEND for its children (default: the environment's, else jax)."""
    # fork() after importing jax is fine on Linux; macOS system frameworks are not fork-safe.
    if sys.platform.startswith("linux") and not os.environ.get("KCHECK_VERIFY_SPAWN"):
        return WarmWorker(cwd, backend)
    return SpawnWorker(cwd, backend)
