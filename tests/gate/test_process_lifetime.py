"""No process the gate starts outlives it: after a verdict, an exit-2 run, SIGTERM, Ctrl-C or
SIGKILL of the gate itself. The pack and the program record their pids; the test then checks
that every one of them is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import REPO, write_program

PACK = """
import os, pathlib, signal
pathlib.Path({pidfile!r}).write_text(str(os.getpid()))
if {deaf}:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a pack that does not stop on Ctrl-C

from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

PolicyPack(name="lifetime", enforcement_level=EnforcementLevel.ADVISORY, policies=[
    ResourceValidationPolicy(name="noop", description="noop", validate=lambda args, report: None),
])
"""

SLOW_PROGRAM = """
import os, pathlib, time
import pulumi_aws as aws
pathlib.Path({pidfile!r}).write_text(str(os.getpid()))
aws.s3.Bucket("b")
time.sleep(120)
"""


def make_pack(directory: Path, pidfile: Path, deaf: bool = False) -> Path:
    directory.mkdir(parents=True)
    (directory / "PulumiPolicy.yaml").write_text("runtime: python\n", encoding="utf-8")
    source = PACK.format(pidfile=str(pidfile), deaf=deaf)
    (directory / "__main__.py").write_text(source, encoding="utf-8")
    return directory


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_gone(pids: list[int], seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [p for p in pids if alive(p)]
        if not left:
            return []
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def start_gate(program: Path, pack: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "gate", "--program", str(program), "--policy-pack", str(pack)],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(Path.home())},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(path: Path, seconds: float = 60.0) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return int(path.read_text())
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytest.mark.parametrize("deaf", [False, True])
@pytest.mark.parametrize("program", ["import pulumi\n", "raise ValueError('boom')\n"])
def test_pack_is_gone_after_a_verdict_and_after_an_exit_2(
    tmp_path: Path, program: str, deaf: bool
) -> None:
    pidfile = tmp_path / "pack.pid"
    pack = make_pack(tmp_path / "pack", pidfile, deaf)
    write_program(tmp_path / "program", program)
    gate = start_gate(tmp_path / "program", pack)
    gate.communicate(timeout=120)
    assert gate.returncode == (0 if "boom" not in program else 2)
    assert wait_gone([wait_for(pidfile)], seconds=0.5) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_nothing_outlives_a_stopped_gate(tmp_path: Path, signum: int) -> None:
    pack_pid = tmp_path / "pack.pid"
    program_pid = tmp_path / "program.pid"
    pack = make_pack(tmp_path / "pack", pack_pid)
    write_program(tmp_path / "program", SLOW_PROGRAM.format(pidfile=str(program_pid)))
    gate = start_gate(tmp_path / "program", pack)
    pids = [wait_for(pack_pid), wait_for(program_pid)]
    os.kill(gate.pid, signum)
    _, stderr = gate.communicate(timeout=60)
    if signum != signal.SIGKILL:
        assert gate.returncode == 2
        assert "interrupted" in stderr
    assert wait_gone(pids) == []


SPAWNING_PROGRAM = """
import pathlib, subprocess
import pulumi_aws as aws
child = subprocess.Popen(["sleep", "300"])
pathlib.Path({pidfile!r}).write_text(str(child.pid))
aws.s3.Bucket("b")
"""

SPAWNING_PACK = """
import subprocess
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy

def validate(args, report):  # once per resource: every child's pid on a line of its own
    child = subprocess.Popen(["sleep", "300"])
    with open({pidfile!r}, "a") as pids:
        pids.write(f"{{child.pid}}\\n")

PolicyPack(name="spawner", enforcement_level=EnforcementLevel.ADVISORY, policies=[
    ResourceValidationPolicy(name="spawn", description="spawn", validate=validate),
])
"""


@pytest.mark.parametrize("zygote", ["1", "0"])
def test_what_the_program_and_the_pack_leave_running_ends_with_the_run(
    tmp_path: Path, zygote: str
) -> None:
    """The engine runs the language host and the pack each in a process group of its own and
    kills the group when it closes them (plugin.go, cmdutil.KillChildren); so does the gate."""
    program_child, pack_child = tmp_path / "program-child.pid", tmp_path / "pack-child.pid"
    write_program(tmp_path / "program", SPAWNING_PROGRAM.format(pidfile=str(program_child)))
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n", encoding="utf-8")
    (pack / "__main__.py").write_text(SPAWNING_PACK.format(pidfile=str(pack_child)), "utf-8")
    gate = subprocess.run(
        [sys.executable, "-m", "gate", "--program", str(tmp_path / "program"),
         "--policy-pack", str(pack)],
        cwd=REPO,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(Path.home()),
             "GATE_ZYGOTE": zygote},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert gate.returncode == 0, gate.stdout + gate.stderr
    pids = [wait_for(program_child), *map(int, pack_child.read_text().split())]
    left = wait_gone(pids, seconds=3)
    for pid in left:  # do not leave them behind when the assertion fails
        os.kill(pid, signal.SIGKILL)
    assert left == []
