"""Runs a CrossGuard policy pack exactly as the Pulumi CLI does and talks Analyzer gRPC to it.

The pack is started as ``python -u -m pulumi.policy <engine-address> .`` in its directory, with the
CLI's ``PULUMI_*`` environment; it prints its port on stdout. ``pulumi.log`` calls inside policies
print to the pack's stderr (the pack never connects to the engine address), so the gate captures
stderr into the report.
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
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import grpc
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from .durations import parse_go_duration
from .errors import GateError
from .lifetime import die_with_parent, kill_group, track
from .policy_config import PolicyConfig, PolicySchema, reconcile
from .report import NotApplicable, PolicyInfo, Violation

ENGINE_ADDRESS = "127.0.0.1:0"
"""Passed as the engine address; the Python analyzer host never dials it."""
START_TIMEOUT = 60.0
CALL_TIMEOUT = 300.0
"""Deadline of the set-up calls (GetAnalyzerInfo, Configure, ConfigureStack). Analysis calls have
none, as in the CLI: a pack may legitimately take minutes over a large stack."""
_MAX_MESSAGE = 1024 * 1024 * 400
_LEVEL_NAMES = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.DISABLED: "disabled",
    analyzer_pb2.REMEDIATE: "remediate",
}
_LEVEL_VALUES = {name: value for value, name in _LEVEL_NAMES.items()}
_SEVERITY_NAMES = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}


@dataclass(frozen=True)
class PackSpec:
    """A policy pack directory and how to run it (from ``PulumiPolicy.yaml``)."""

    directory: Path
    python: str
    version: str
    virtualenv: Path | None


def read_pack(directory: str | Path, default_python: str, use_virtualenv: bool = True) -> PackSpec:
    """Read ``PulumiPolicy.yaml``; GateError when the directory is not a Python policy pack.

    ``use_virtualenv=False`` runs the pack on ``default_python`` whatever virtualenv the
    manifest names (the bundled pack: its requirements are the gate's own).
    """
    path = Path(directory).resolve()
    manifest = path / "PulumiPolicy.yaml"
    if not path.is_dir():
        raise GateError(
            f"Policy pack directory '{directory}' does not exist; pass --policy-pack DIR "
            "naming a directory with a PulumiPolicy.yaml (the default is the bundled pack)."
        )
    if not manifest.is_file():
        raise GateError(f"No PulumiPolicy.yaml in {path}: --policy-pack must name a policy pack.")
    try:
        document = yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise GateError(f"Cannot read {manifest}: {err}.") from err
    if not isinstance(document, dict):
        raise GateError(f"{manifest} must be a mapping with a 'runtime:' key.")
    runtime = document.get("runtime")
    name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if name != "python":
        raise GateError(f"{manifest} declares runtime '{name}'; the gate runs Python packs only.")
    options = runtime.get("options") if isinstance(runtime, dict) else None
    venv_option = options.get("virtualenv") if isinstance(options, dict) else None
    python, venv = default_python, None
    if use_virtualenv and isinstance(venv_option, str):
        venv = (path / venv_option).absolute()
        candidate = venv / "bin" / "python"
        if not candidate.exists():
            raise GateError(
                f"{manifest} names the virtualenv '{venv_option}', but {candidate} does not "
                "exist: create it (python -m venv) and install the pack's requirements."
            )
        python = str(candidate)
    return PackSpec(path, python, str(document.get("version") or ""), venv)


@dataclass
class StackContext:
    """What the CLI tells the pack about the stack (environment and ``ConfigureStack``)."""

    project: str
    stack: str
    config: dict[str, str]
    secret_keys: list[str]


class PackProcess:
    """A running policy pack; use as a context manager so it is always stopped."""

    def __init__(self, spec: PackSpec, context: StackContext) -> None:
        self.spec = spec
        self.context = context
        env = dict(os.environ)
        env.update(
            {
                "PULUMI_CONFIG": json.dumps(context.config),
                "PULUMI_PROJECT": context.project,
                "PULUMI_STACK": context.stack,
                "PULUMI_DRY_RUN": "true",
                "PULUMI_ORGANIZATION": "organization",
            }
        )
        env.pop("PYTHONPATH", None)
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


def to_struct(value: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    json_format.ParseDict(value, struct)
    return struct


@dataclass(frozen=True)
class PackInfo:
    name: str
    version: str
    policies: list[PolicyInfo]
    schemas: list[PolicySchema]
    initial: dict[str, PolicyConfig]


def describe(stub: analyzer_pb2_grpc.AnalyzerStub, spec: PackSpec) -> PackInfo:
    """``GetAnalyzerInfo``: the pack's name, version (PulumiPolicy.yaml wins) and policies."""
    info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=CALL_TIMEOUT)
    version = spec.version or info.version
    policies, schemas = [], []
    for policy in info.policies:
        level = _LEVEL_NAMES.get(policy.enforcementLevel, "advisory")
        policies.append(
            PolicyInfo(
                policy_pack=info.name,
                name=policy.name,
                description=policy.description,
                enforcement_level=level,
                severity=_SEVERITY_NAMES.get(policy.severity, ""),
                url=policy.url,
                remediation_steps=policy.remediation_steps,
                display_name=policy.displayName,
            )
        )
        schema = policy.configSchema
        schemas.append(
            PolicySchema(
                name=policy.name,
                enforcement_level=level,
                properties=json_format.MessageToDict(schema.properties),
                required=list(schema.required),
            )
        )
    initial = {
        name: PolicyConfig(
            _LEVEL_NAMES.get(config.enforcementLevel, "advisory"),
            json_format.MessageToDict(config.properties) or None,
        )
        for name, config in info.initialConfig.items()
    }
    return PackInfo(info.name, version, policies, schemas, initial)


def configure_stack(
    stub: analyzer_pb2_grpc.AnalyzerStub, context: StackContext, tags: Mapping[str, str]
) -> None:
    """``ConfigureStack``: the stack, its config and tags, as the engine sends it first."""
    stub.ConfigureStack(
        analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=context.stack,
            project=context.project,
            organization="organization",
            dry_run=True,
            config=context.config,
            config_secret_keys=context.secret_keys,
            tags=dict(tags),
        ),
        timeout=CALL_TIMEOUT,
    )


def configure(
    stub: analyzer_pb2_grpc.AnalyzerStub,
    pack: PackInfo,
    user_config: Mapping[str, PolicyConfig],
) -> dict[str, PolicyConfig]:
    """``Configure`` with the reconciled config; returns the config."""
    config = reconcile(pack.name, pack.schemas, pack.initial, user_config)
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, entry in config.items():
        request.policyConfig[name].CopyFrom(
            analyzer_pb2.PolicyConfig(
                enforcementLevel=_LEVEL_VALUES[entry.enforcement_level or "advisory"],
                properties=to_struct(entry.properties or {}),
            )
        )
    stub.Configure(request, timeout=CALL_TIMEOUT)
    return config


def options_message(
    options: Mapping[str, Any], parent: str
) -> analyzer_pb2.AnalyzerResourceOptions:
    message = analyzer_pb2.AnalyzerResourceOptions(
        protect=bool(options.get("protect")),
        ignoreChanges=options.get("ignoreChanges", []),
        additionalSecretOutputs=options.get("additionalSecretOutputs", []),
        aliases=options.get("aliases", []),
        parent=parent,
    )
    if "deleteBeforeReplace" in options:
        message.deleteBeforeReplace = bool(options["deleteBeforeReplace"])
        message.deleteBeforeReplaceDefined = True
    timeouts = options.get("customTimeouts")
    if timeouts:
        message.customTimeouts.CopyFrom(
            analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
                **{
                    k: _seconds(v)
                    for k, v in timeouts.items()
                    if k in ("create", "update", "delete")
                }
            )
        )
    return message


def _seconds(duration: str) -> float:
    """A Go duration string from the SDK ("5m", "1h30m") in seconds; empty means unset (0)."""
    return parse_go_duration(duration) if duration else 0.0


def result_items(
    response: analyzer_pb2.AnalyzeResponse, pack: str, urn: str | None
) -> tuple[list[Violation], list[NotApplicable]]:
    """Violations and not-applicable answers; ``urn`` overrides as the engine does for Analyze."""
    violations = [
        Violation(
            policy_pack=d.policyPackName or pack,
            policy=d.policyName,
            enforcement_level="mandatory"
            if d.enforcementLevel in (analyzer_pb2.MANDATORY, analyzer_pb2.REMEDIATE)
            else "advisory",
            severity=_SEVERITY_NAMES.get(d.severity, ""),
            urn=urn if urn is not None else d.urn,
            message=d.message,
        )
        for d in response.diagnostics
        if d.enforcementLevel != analyzer_pb2.DISABLED
    ]
    not_applicable = [
        NotApplicable(pack, n.policy_name, urn if urn is not None else "", n.reason)
        for n in response.not_applicable
    ]
    return violations, not_applicable
