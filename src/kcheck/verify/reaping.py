"""Every process user code starts ends with the phase that started it.

Killing the child's process group is not enough: a process started with
``start_new_session=True`` (or one that calls ``setsid()``) leaves the group, and when its parent
exits it is re-parented to init and outlives the run. On Linux the supervising process (the warm
worker, or the spawn-mode supervisor) marks itself a *child subreaper*
(``prctl(PR_SET_CHILD_SUBREAPER)``), so orphans below it are re-parented to it instead of to
init; after each phase it kills every process below it, found through ``/proc``. Elsewhere only
the process group is killed.

User code runs two levels below the supervisor (supervisor -> relay -> phase child, see
:func:`run_relayed`): killing its parent with ``os.kill(os.getppid(), 9)`` kills the relay, and
the supervisor, still alive, reaps and reports.
"""
from __future__ import annotations

import os
import signal
import sys
import time

_PR_SET_CHILD_SUBREAPER = 36
_ROUNDS = 50


def become_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux); True when it is."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _parents() -> dict[int, tuple[int, str]] | None:
    """pid -> (parent pid, state) for every process, from /proc; None without /proc."""
    try:
        names = os.listdir("/proc")
    except OSError:
        return None
    table = {}
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read().decode("ascii", "replace")
        except OSError:
            continue  # it exited meanwhile
        # "pid (command) state ppid ...": the command may hold spaces and parentheses.
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) >= 2 and fields[1].isdigit():
            table[int(name)] = (int(fields[1]), fields[0])
    return table


def descendants(root: int | None = None) -> list[int] | None:
    """Live (not zombie) processes below *root* (default: this process); None without /proc."""
    root = os.getpid() if root is None else root
    table = _parents()
    if table is None:
        return None
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, stack = [], list(children.get(root, ()))
    while stack:
        pid = stack.pop()
        if table[pid][1] != "Z":
            found.append(pid)
        stack.extend(children.get(pid, ()))
    return found


def reap_children() -> None:
    """Collect every child that has exited, without waiting for the others."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_descendants() -> None:
    """SIGKILL every process below this one and reap those re-parented to it.

    Repeats until none is left, since a process may fork between the scan and the kill; a
    killed process cannot fork again, so the tree only shrinks.
    """
    for _ in range(_ROUNDS):
        found = descendants()
        if not found:
            break
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        time.sleep(0.005)
        reap_children()
    reap_children()


def mirror_status(status: int) -> None:
    """Exit the way the waited-for process did: same exit code, or same signal."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a mirrored SIGSEGV dumps nothing
        except (ImportError, ValueError, OSError):
            pass
        try:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
        except (OSError, ValueError):
            pass
        os._exit(128 + number)
    os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 70)


def run_relayed(run) -> None:
    """Fork; the child calls ``run()`` and exits 0 (70 if it raised); this process, the relay,
    waits and then exits as the child did. Never returns.

    The relay runs no user code: user code that kills its parent kills the relay, not the
    supervisor above it.
    """
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            run()
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
        except BaseException:  # noqa: BLE001 - nothing may escape into the relay's caller
            code = 70
        finally:
            os._exit(code)
    while True:
        try:
            _, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            os._exit(70)
    mirror_status(status)
