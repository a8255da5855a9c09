"""Starts a program's child interpreter (``gate.program_child``) and reads its registrations.

A child is forked from the process's zygote (a warm interpreter, see ``gate.zygote``) when the
program runs on the gate's own interpreter, and started afresh otherwise (a program virtualenv,
or ``GATE_ZYGOTE=0``). Either way each program gets an interpreter of its own.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import GateError
from .lifetime import die_with_parent, kill_group, track, track_group
from .mock_world import DEFAULT_ACCOUNT_ID
from .project import Project

_GATE_PACKAGE = Path(__file__).resolve().parent
_GATE_ROOT = str(_GATE_PACKAGE.parent)
# The child imports `gate` from its directory without putting the directory's parent on sys.path:
# installed, that parent is a site-packages whose `pulumi` would shadow the program's own.
_BOOT = (
    "import importlib.util as u, sys; "
    "s = u.spec_from_file_location('gate', {init!r}, submodule_search_locations=[{package!r}]); "
    "m = u.module_from_spec(s); sys.modules['gate'] = m; s.loader.exec_module(m); "
    "from gate.{module} import {entry}; {entry}({arg})"
)
_BOOT_PATHS = {"init": str(_GATE_PACKAGE / "__init__.py"), "package": str(_GATE_PACKAGE)}


class _Zygote:
    """The per-process warm interpreter; restarted if it dies, never shared across a fork."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pid = -1
        self._socket: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def _start(self) -> socket.socket:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        boot = _BOOT.format(**_BOOT_PATHS, module="zygote", entry="serve", arg=theirs.fileno())
        # PYTHONPATH is kept: programs forked from here must see it on sys.path, as they would
        # when started by the language host (below).
        env = dict(os.environ)
        self._process = track(
            subprocess.Popen(
                [sys.executable, "-c", boot],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                env=env,
                pass_fds=(theirs.fileno(),),
                preexec_fn=die_with_parent,  # noqa: PLW1509 (only calls a resolved prctl)
            )
        )
        theirs.close()
        self._pid = os.getpid()
        self._socket = ours
        return ours

    def _connection(self) -> socket.socket:
        if self._socket is None or self._pid != os.getpid() or self._process.poll() is not None:
            return self._start()
        return self._socket

    def spawn(self, job: dict[str, Any], env: dict[str, str], fds: tuple[int, int]) -> int:
        """Fork a child for ``job``; return its pid."""
        with self._lock:
            connection = self._connection()
            message = json.dumps({"kind": "job", "job": job, "env": env}).encode()
            socket.send_fds(connection, [message], list(fds))
            reply = connection.recv(4096)
            if not reply:
                self._socket = None
                raise OSError("the zygote exited")
            return int(json.loads(reply)["pid"])

    def prewarm(self) -> None:
        """Start the zygote now; it imports in the background, and the first run finds it warm."""
        with self._lock:
            self._connection()

    def preload(self, modules: list[str]) -> None:
        """Ask the zygote to import ``modules`` before the next job."""
        with self._lock:
            if self._socket is not None and self._pid == os.getpid():
                try:
                    self._socket.send(json.dumps({"kind": "preload", "modules": modules}).encode())
                except OSError:
                    self._socket = None


_ZYGOTE = _Zygote()


def prewarm() -> None:
    """Start this process's zygote ahead of the first run (the CLI does, before its own imports)."""
    if os.environ.get("GATE_ZYGOTE", "1") != "0" and hasattr(socket, "send_fds"):
        _ZYGOTE.prewarm()


def _use_zygote(project: Project) -> bool:
    """Fork from the warm interpreter only for a program of the gate's own environment.

    Environments are compared (``sys.prefix``), not binaries: a virtualenv built from the same base
    Python resolves to the same executable but has its own site-packages.
    """
    return (
        os.environ.get("GATE_ZYGOTE", "1") != "0"
        and project.interpreter.is_current()
        and hasattr(socket, "send_fds")
    )


def _package_config(project: Project) -> dict[str, dict[str, Any]]:
    """Each package's default-provider inputs, from its config namespace (``aws:*`` -> ``aws``).

    The ``pulumi-python`` dynamic provider gets the whole stack config with namespaces kept
    (pulumi/pulumi#17229, #17673: dynamic providers see all configuration, like the program).
    """
    namespaces = {key.split(":", 1)[0] for key in project.config}
    config = {namespace: project.package_config(namespace) for namespace in sorted(namespaces)}
    config["pulumi-python"] = project.dynamic_provider_config()
    return config


class ProgramRun:
    """One running program: iterate ``records()`` while it runs, then ``finish()``."""

    def __init__(
        self, project: Project, fresh: bool, invoke_answers: dict[str, Any] | None = None
    ) -> None:
        self.project = project
        self.status: int | None = None
        self.modules: list[str] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._pid: int | None = None
        read_fd, write_fd = os.pipe()
        job = {
            "fd": write_fd,
            "gateRoot": _GATE_ROOT,
            "directory": str(project.directory),
            "main": str(project.main),
            "project": project.name,
            "stack": project.stack,
            "organization": project.organization,
            "config": project.config,
            "secretKeys": project.secret_keys,
            "packageConfig": _package_config(project),
            "account": project.config.get("gate:accountId", DEFAULT_ACCOUNT_ID),
            "fresh": fresh,
            "invokeAnswers": invoke_answers or {},
        }
        # The language host runs the program with the CLI's whole environment, PYTHONPATH included
        # (only PYTHONHOME is removed when a virtualenv is activated: ActivateVirtualEnv in
        # sdk/python/toolchain/toolchain.go), so a program whose shared modules come from
        # PYTHONPATH runs as under `pulumi preview`.
        env = project.interpreter.environment(dict(os.environ))
        env.update(
            {  # what the language host gives a program: `pulumi.runtime.get_config_env()` reads it
                "PYTHONUNBUFFERED": "1",
                "PULUMI_CONFIG": json.dumps(project.config),
                "PULUMI_CONFIG_SECRET_KEYS": json.dumps(project.secret_keys),
                "PULUMI_PROJECT": project.name,
                "PULUMI_STACK": project.stack,
                "PULUMI_ORGANIZATION": project.organization,
            }
        )
        self._output: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in finish/kill)
        try:
            if _use_zygote(project):
                try:
                    self._pid = _ZYGOTE.spawn(job, env, (write_fd, self._output.fileno()))
                    track_group(self._pid)
                except OSError:
                    self._start_process(job, env, write_fd)
            else:
                self._start_process(job, env, write_fd)
        finally:
            os.close(write_fd)
        self._records = os.fdopen(read_fd, "r", encoding="utf-8")

    def _start_process(self, job: dict[str, Any], env: dict[str, str], write_fd: int) -> None:
        boot = _BOOT.format(**_BOOT_PATHS, module="program_child", entry="main", arg="")
        try:
            self._process = subprocess.Popen(
                [self.project.python, "-c", boot],
                cwd=self.project.directory,
                env={**env, "GATE_JOB": json.dumps(job)},
                stdin=subprocess.DEVNULL,
                stdout=self._output,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                preexec_fn=die_with_parent,  # noqa: PLW1509 (only calls a resolved prctl)
                process_group=0,  # killed as a group after the run (gate.lifetime)
            )
            track(self._process, group=True)
        except OSError as err:
            raise GateError(
                f"Cannot start the program's interpreter {self.project.python}: {err}."
            ) from err

    def records(self) -> Iterator[dict[str, Any]]:
        """Registrations, logs and errors in the order the program produced them."""
        for line in self._records:
            record = json.loads(line)
            if record["kind"] == "done":
                self.status = record["status"]
                self.modules = record.get("modules", [])
            yield record

    def finish(self) -> tuple[int, str]:
        """Wait for the child; return its exit status (-1 if it died unreported) and its output."""
        self._records.close()
        if self._process is not None:
            code = self._process.wait()
            if self.status is None:
                self.status = code or -1
        elif self.status is None:
            self.status = -1
        else:
            _ZYGOTE.preload(self.modules)
        self._kill_group()
        self._output.seek(0)
        printed = self._output.read().decode("utf-8", "replace")
        self._output.close()
        return self.status, printed

    def kill(self) -> None:
        """Stop a child that is still running (after an error elsewhere); idempotent."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        if self._pid is not None and self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            self.status = -1
        self._kill_group()
        if not self._records.closed:
            self._records.close()
        if not self._output.closed:
            self._output.close()

    def _kill_group(self) -> None:
        """End what the program started and left running, as the engine does (gate.lifetime)."""
        leader = self._process.pid if self._process is not None else self._pid
        if leader is not None:
            kill_group(leader)
