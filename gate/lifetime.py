"""Processes the gate starts never outlive it.

Every child (the policy pack, a program's interpreter, the warm zygote) is started with
``die_with_parent`` so the kernel kills it if the gate dies without cleaning up (SIGKILL, a crash),
and registered with ``track`` so that an ordinary exit, an error or an interrupt kills whatever is
still running at interpreter exit. ``install_signal_handlers`` turns SIGTERM and SIGHUP into the
same orderly unwinding as Ctrl-C.

The program and the pack each run in a process group of their own, and the whole group is killed
when they are done, as the engine closes every plugin it starts (the language host that runs the
program, the policy pack): ``RegisterProcessGroup`` when it starts one and ``KillChildren``
(SIGKILL to the group) when it closes it (``sdk/go/common/resource/plugin/plugin.go``,
``sdk/go/common/util/cmdutil/child.go``). So a process the program or a policy starts without a
session of its own ends with the run, under the gate as under ``pulumi preview``.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from types import FrameType

_PR_SET_PDEATHSIG = 1
_LIVE: weakref.WeakSet[subprocess.Popen[bytes]] = weakref.WeakSet()
_GROUPS: set[int] = set()  # process groups (by leader pid) still to kill
_LOCK = threading.Lock()


def _load_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()  # resolved now: the pre-exec hook below must not import or load anything


def die_with_parent() -> None:
    """``preexec_fn``: the child gets SIGKILL when the process that started it dies (Linux)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL)


def track(process: subprocess.Popen[bytes], *, group: bool = False) -> subprocess.Popen[bytes]:
    """Kill ``process`` at interpreter exit if it is still running then; with ``group`` (it was
    started with ``process_group=0``), its process group too."""
    with _LOCK:
        _LIVE.add(process)
        if group:
            _GROUPS.add(process.pid)
    return process


def track_group(leader: int) -> None:
    """Kill the process group led by ``leader`` at interpreter exit unless ``kill_group`` has."""
    with _LOCK:
        _GROUPS.add(leader)


def kill_group(leader: int) -> None:
    """SIGKILL every process left in the group led by ``leader`` (the engine's ``KillChildren``)."""
    with _LOCK:
        _GROUPS.discard(leader)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(leader, signal.SIGKILL)


@atexit.register
def _kill_leftovers() -> None:
    with _LOCK:
        leftovers = list(_LIVE)
    for process in leftovers:
        if process.poll() is None:
            with contextlib.suppress(OSError):
                process.kill()
                process.wait(timeout=5)
    with _LOCK:
        groups = list(_GROUPS)
    for leader in groups:
        kill_group(leader)


def install_signal_handlers() -> None:
    """SIGTERM/SIGHUP unwind the gate as Ctrl-C does, so every child is stopped (main thread)."""

    def interrupt(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)
