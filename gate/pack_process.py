"""Runs a CrossGuard policy pack exactly as the Pulumi CLI does and connects to its Analyzer server.

The pack is started as ``python -u -m pulumi.policy <engine-address> .`` in its directory, with the
CLI's ``PULUMI_*`` environment; it prints its port on stdout. ``pulumi.log`` calls inside policies
print to the pack's stderr (the pack never connects to the engine address), so the gate captures
stderr into the report. The calls themselves are in ``gate.analyzer``.
"""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import grpc
from pulumi.runtime.proto import analyzer_pb2_grpc

from .errors import GateError
from .lifetime import die_with_parent, kill_group, track
from .pack_spec import PackSpec

ENGINE_ADDRESS = "127.0.0.1:0"
"""Passed as the engine address; the Python analyzer host never dials it."""
START_TIMEOUT = 60.0
_MAX_MESSAGE = 1024 * 1024 * 400


@dataclass
class StackContext:
    """What the CLI tells the pack about the stack (environment and ``ConfigureStack``)."""

    project: str
    stack: str
    organization: str
    config: dict[str, str]
    secret_keys: list[str]


class PackProcess:
    """A running policy pack; use as a context manager so it is always stopped."""

    def __init__(self, spec: PackSpec, context: StackContext) -> None:
        self.spec = spec
        self.context = context
        # The engine starts the pack with its whole environment plus these (constructEnv in
        # sdk/go/common/resource/plugin/analyzer_plugin.go): PYTHONPATH passes through.
        env = dict(os.environ)
        env.update(
            {
                "PULUMI_CONFIG": json.dumps(context.config),
                "PULUMI_PROJECT": context.project,
                "PULUMI_STACK": context.stack,
                "PULUMI_DRY_RUN": "true",
                "PULUMI_ORGANIZATION": context.organization,
            }
        )
        if spec.virtualenv is not None:
            env["VIRTUAL_ENV"] = str(spec.virtualenv)
            env["PATH"] = f"{spec.virtualenv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        # stderr goes to a file: each `pulumi.log` line is written (unbuffered, -u) before the
        # response it belongs to, so reading the file after the last response loses nothing,
        # and a chatty pack can never block on a full pipe.
        self._stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the reaper)
        try:
            self._process = subprocess.Popen(
                [spec.python, "-u", "-m", "pulumi.policy", ENGINE_ADDRESS, "."],
                cwd=spec.directory,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                preexec_fn=die_with_parent,  # noqa: PLW1509 (only calls a resolved prctl)
                process_group=0,  # killed as a group when stopped (gate.lifetime)
            )
            track(self._process, group=True)
        except OSError as err:
            self._stderr.close()
            raise GateError(f"Cannot start the policy pack with {spec.python}: {err}.") from err
        self._stdout: queue.Queue[str | None] = queue.Queue()
        self._stdout_thread = threading.Thread(target=self._pump_stdout, daemon=True)
        self._stdout_thread.start()
        self._channel: grpc.Channel | None = None
        self._stderr_lines: list[str] | None = None
        self.stub: analyzer_pb2_grpc.AnalyzerStub | None = None

    def _pump_stdout(self) -> None:
        """Read the port line, then keep draining stdout so that a policy's print() never blocks."""
        assert self._process.stdout is not None
        with self._process.stdout:
            for raw in self._process.stdout:
                self._stdout.put(raw.decode("utf-8", "replace"))
        self._stdout.put(None)

    def __enter__(self) -> PackProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def connect(self) -> analyzer_pb2_grpc.AnalyzerStub:
        """Wait for the port the pack prints, then open the gRPC channel."""
        try:
            line = self._stdout.get(timeout=START_TIMEOUT)
        except queue.Empty:
            raise self.failure(f"did not print its port within {START_TIMEOUT:.0f} s") from None
        if line is None or not line.strip().isdigit():
            raise self.failure("exited before serving" if line is None else f"printed {line!r}")
        self._channel = grpc.insecure_channel(
            f"127.0.0.1:{int(line)}",
            options=[
                ("grpc.max_receive_message_length", _MAX_MESSAGE),
                ("grpc.max_send_message_length", _MAX_MESSAGE),
            ],
        )
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        return self.stub

    def failure(self, what: str, error: grpc.RpcError | None = None) -> GateError:
        """A GateError naming the pack, what went wrong, and the pack's own exception and frame."""
        self.stop(wait=True)  # the pack's stderr is complete once it has exited
        detail = f" ({error.details()})" if error is not None and error.details() else ""
        status = self._process.returncode
        exited = f" The pack exited with status {status}." if status not in (None, 0) else ""
        return GateError(
            f"The policy pack in {self.spec.directory} {what}{detail}.{exited}"
            + summarize_stderr(self.stderr_lines(), self.spec.directory)
        )

    def stderr_lines(self) -> list[str]:
        """The pack's stderr so far (all of it once every response has arrived)."""
        if self._stderr_lines is None:
            self._stderr.seek(0)
            text = self._stderr.read().decode("utf-8", "replace")
            return text.splitlines()
        return self._stderr_lines

    def logs(self) -> list[str]:
        """What policies printed with ``pulumi.log`` (info/warning/error lines)."""
        prefixes = ("info: ", "warning: ", "error: ", "debug: ")
        return [line for line in self.stderr_lines() if line.startswith(prefixes)]

    def stop(self, wait: bool = False) -> None:
        """Stop the pack as a Ctrl-C would (its server stops cleanly).

        The pack's interpreter can take most of a second to tear down; unless ``wait``, a
        background thread waits for it (killing it after 3 s) so that the report is not delayed.
        """
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._stderr_lines is None:
            self._stderr_lines = self.stderr_lines()
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
        if wait:
            self._reap()
        else:
            threading.Thread(target=self._reap, daemon=True).start()

    def _reap(self) -> None:
        try:
            self._process.wait(timeout=3)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        kill_group(self._process.pid)  # what a policy started and left running
        self._stdout_thread.join(timeout=2)
        if not self._stderr.closed:
            self._stderr.seek(0)
            self._stderr_lines = self._stderr.read().decode("utf-8", "replace").splitlines()
            self._stderr.close()


_FRAME_RE = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>.+)$')
_EXCEPTION_RE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit)(: .*)?$")


def summarize_stderr(lines: list[str], pack_dir: Path) -> str:
    """The pack's stderr in one sentence: its last exception and the pack's own innermost frame.

    Python tracebacks from the pack are condensed to the exception line and the frame inside the
    pack directory; other output keeps its last few lines.
    """
    text = [line.strip() for line in lines if line.strip()]
    if not text:
        return ""
    exception = next((line for line in reversed(text) if _EXCEPTION_RE.match(line)), "")
    frame = ""
    for line in lines:
        match = _FRAME_RE.match(line)
        if match and Path(match["file"]).is_relative_to(pack_dir):
            relative = Path(match["file"]).relative_to(pack_dir)
            frame = f"{relative}, line {match['line']}, in {match['function']}"
    if exception:
        return f" Pack error: {exception}" + (f" (at {frame})." if frame else ".")
    return " Its stderr ends with: " + " | ".join(text[-5:])
