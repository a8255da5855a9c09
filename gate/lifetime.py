"""Processes the gate starts never outlive it.

Every child (the policy pack, a program's interpreter, the warm zygote) is started with
``die_with_parent`` so the kernel kills it if the gate dies without cleaning up (SIGKILL, a crash),
and registered with ``track`` so that an ordinary exit, an error or an interrupt kills whatever is
still running at interpreter exit. ``install_signal_handlers`` turns SIGTERM and SIGHUP into the
same orderly unwinding as Ctrl-C.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import signal
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from types import FrameType

_PR_SET_PDEATHSIG = 1
_LIVE: weakref.WeakSet[subprocess.Popen[bytes]] = weakref.WeakSet()
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


def track(process: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
    """Kill ``process`` at interpreter exit if it is still running then."""
    with _LOCK:
        _LIVE.add(process)
    return process


@atexit.register
def _kill_leftovers() -> None:
    with _LOCK:
        leftovers = list(_LIVE)
    for process in leftovers:
        if process.poll() is None:
            with contextlib.suppress(OSError):
                process.kill()
                process.wait(timeout=5)


def install_signal_handlers() -> None:
    """SIGTERM/SIGHUP unwind the gate as Ctrl-C does, so every child is stopped (main thread)."""

    def interrupt(signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)
