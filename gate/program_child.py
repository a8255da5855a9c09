"""Runs one Pulumi program on the SDK's mock engine, in a child interpreter of its own.

The parent (``gate.program``) starts this module with a job description in ``GATE_JOB`` and a pipe
on which every registration is written as one JSON line while the program runs. The Pulumi runtime
keeps global state and programs ``chdir`` and import their own modules, so each run gets a fresh
interpreter. Only the standard library, the Pulumi SDK and the gate's mock world are imported
before the gate's directory is removed from ``sys.path``, so the program imports its own modules.
The provider's answers are ``gate.mocks``, the resource monitor ``gate.recording_monitor`` and
the pipe ``gate.child_channel``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import runpy
import sys
import traceback
from pathlib import Path
from typing import Any

from google.protobuf import empty_pb2
from pulumi.runtime import configure, set_all_config, settings
from pulumi.runtime.mocks import MockEngine, MockSettings
from pulumi.runtime.stack import run_in_stack

from gate import invoke_trace, plain_unknowns, source_position
from gate.child_channel import Channel, LogToChannel
from gate.invoke_types import record_result_types
from gate.mocks import World
from gate.recording_monitor import RecordingMonitor


def _own_frame(error: BaseException, program_dir: Path) -> traceback.FrameSummary | None:
    """The innermost frame of ``error`` in the program's own files (not its virtualenv's)."""
    own = None
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename)
        inside = path.is_absolute() and program_dir in path.parents
        if inside and not any(part in ("site-packages", ".venv") for part in path.parts):
            own = frame
    return own


def describe_exception(error: BaseException, program_dir: Path) -> dict[str, Any]:
    """The exception and the program's own innermost frame (not the SDK's, not the gate's).

    When the exception surfaced in SDK code (an RPC, an apply), the frame is looked for along
    its chain of causes; chains can be cyclic, so each exception is visited once.
    """
    record: dict[str, Any] = {"exception": f"{type(error).__name__}: {error}".rstrip(": ")}
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        own = _own_frame(current, program_dir)
        if own is not None:
            record["frame"] = {
                "file": str(Path(own.filename).relative_to(program_dir)),
                "line": own.lineno,
                "function": own.name,
                "code": own.line or "",
            }
            break
        current = current.__cause__ or current.__context__
    return record


async def _program(main_path: Path) -> None:
    """Run the program's module, then let its registrations start before the SDK's final wait.

    The SDK's shutdown (``wait_for_rpcs``) awaits the outstanding RPCs first and only then every
    other pending output; entered before any registration RPC has started, it goes straight to
    waiting on all pending outputs, one completion at a time, which is quadratic in the number of
    resources. Yielding to the loop until the first RPCs are in flight keeps it linear.
    """
    runpy.run_path(str(main_path), run_name="__main__")
    rpcs = settings.SETTINGS.rpc_manager.rpcs
    for _ in range(1000):
        if rpcs:
            break
        await asyncio.sleep(0)


def run_job(job: dict[str, Any], channel_fd: int) -> None:
    """Run one program and exit the process; every outcome is reported on ``channel_fd``."""
    # Registrations reach the monitor on executor threads, whose pipe writes release the GIL; at
    # the default 5 ms switch interval each write then waits out the event loop's slice (the
    # "convoy effect") and the gate ran 2x slower than the same program without it.
    sys.setswitchinterval(0.0005)
    source_position.install()
    channel = Channel(channel_fd)
    gate_root = job["gateRoot"]
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != gate_root]
    program_dir = Path(job["directory"])
    main_path = Path(job["main"])
    world = World(job, channel)
    monitor = RecordingMonitor(world, job["project"], job["stack"])
    logger = logging.getLogger("gate.program")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(LogToChannel(channel))
    configure(
        MockSettings(
            monitor=monitor,
            monitor_features=set(monitor.GetDeploymentInfo(empty_pb2.Empty()).supportedFeatures),
            engine=MockEngine(logger),
            project=job["project"],
            stack=job["stack"],
            dry_run=True,
            organization=job["organization"],
            callbacks=None,
        )
    )
    set_all_config(job["config"], job["secretKeys"])
    record_result_types()
    invoke_trace.install(channel)  # where documents built by provider functions come from
    plain_unknowns.install()  # an offline unknown made into text fails, never becomes content
    os.chdir(program_dir)
    sys.argv = [str(main_path)]
    sys.path.insert(0, str(main_path if main_path.is_dir() else main_path.parent))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    monitor.loop = loop
    status = 0
    try:
        loop.run_until_complete(run_in_stack(lambda: _program(main_path)))
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            channel.send(
                {"kind": "error", "cause": "program", "exception": f"sys.exit({exit_.code})"}
            )
            status = 1
    except BaseException as error:  # the program's failure, whatever it is, is the report
        record = {"kind": "error", "cause": "program", **describe_exception(error, program_dir)}
        if world.unknown_invokes and isinstance(error, AssertionError):  # pulumi.get(None, ..)
            record["hint"] = _unknown_invoke_hint(world.unknown_invokes[0], world.offline_unknowns)
        elif world.offline_unknowns and plain_unknowns.is_unknown_misuse(error):
            record["hint"] = plain_unknowns.hint(world.offline_unknowns)
        channel.send(record)
        status = 1
    provider_modules = sorted(m for m in sys.modules if m.startswith(PRELOADABLE))
    channel.send({"kind": "done", "status": status, "modules": provider_modules})
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)  # skip interpreter teardown: pending SDK threads have nothing left to do


def _unknown_invoke_hint(token: str, offline_unknowns: list[str]) -> str:
    """Why a program fails after an invoke was answered unknown, and what to write instead."""
    function = token.rsplit(":", 1)[-1]
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in function)
    if offline_unknowns:
        return (
            f"The program called {token} with arguments that hold a value the offline gate "
            f"cannot know: it answered {', '.join(offline_unknowns)} unknown, since only the "
            "account holds it. The plain form "
            f"({snake}(...)) cannot hold the unknown result. Supply the real answers with "
            "--invoke-answers FILE (see docs/gate.md), or call the output form "
            f"({snake}_output(...)) so the result stays an unknown Output"
        )
    return (
        f"The program called {token} with arguments not known until apply (outputs of "
        "resources not yet created, as in the first preview of a new stack). The engine does "
        "not run such an invoke during preview and its result is unknown, which the plain form "
        f"({snake}(...)) cannot hold (the SDK fails it the same way under pulumi preview). "
        "Call the "
        f"output form ({snake}_output(...)) so the result stays an unknown Output, or build "
        "the arguments from known values"
    )


PRELOADABLE = ("pulumi_aws.",)
"""Provider SDK modules a warm interpreter may import ahead of the next program (see zygote)."""


def main() -> None:
    """Entry point of a directly started child: the job is in ``GATE_JOB``."""
    job = json.loads(os.environ.pop("GATE_JOB"))
    run_job(job, job["fd"])


if __name__ == "__main__":
    main()
