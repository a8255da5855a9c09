"""Helpers for the gate's tests: the CLI in a subprocess, small programs written to tmp_path."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BASIC_PACK = FIXTURES / "packs" / "basic"
PROBE_PACK = FIXTURES / "packs" / "probe"


@dataclass
class GateResult:
    """One CLI run: exit status, stdout and stderr."""

    code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        return json.loads(self.stdout)


def gate_cli(*args: str | Path, cwd: Path = REPO, env: dict[str, str] | None = None) -> GateResult:
    """Run `python -m gate ARGS` as a user would, from `cwd`."""
    completed = subprocess.run(
        [sys.executable, "-m", "gate", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(REPO),
            "HOME": str(Path.home()),
            **(env or {}),
        },
    )
    return GateResult(completed.returncode, completed.stdout, completed.stderr)


def write_program(
    directory: Path,
    source: str,
    *,
    stack_config: str | None = None,
    project: str = "testprog",
    extra_project_yaml: str = "",
) -> Path:
    """A Pulumi project in `directory`: Pulumi.yaml, optional Pulumi.dev.yaml, __main__.py."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(
        f"name: {project}\nruntime: python\n{extra_project_yaml}", encoding="utf-8"
    )
    if stack_config is not None:
        (directory / "Pulumi.dev.yaml").write_text(textwrap.dedent(stack_config), encoding="utf-8")
    (directory / "__main__.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return directory


def probes(report: dict[str, Any], policy: str = "probe") -> dict[str, Any]:
    """Resource name -> the JSON facts the probe pack reported for it."""
    found = {}
    for violation in report["violations"]:
        if violation["policy"] == policy:
            name = violation["urn"].rsplit("::", 1)[-1]
            # JSON messages carry no policy description (it is listed once under "policies").
            found[name] = json.loads(violation["message"])
    return found


@pytest.fixture
def program_dir(tmp_path: Path) -> Path:
    return tmp_path / "program"
