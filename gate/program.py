"""Starts a program's child interpreter (``gate.program_child``) and reads its registrations."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import GateError
from .mock_world import DEFAULT_ACCOUNT_ID
from .project import Project

_GATE_ROOT = str(Path(__file__).resolve().parent.parent)
_CHILD = "import sys; sys.path.insert(0, {root!r}); from gate.program_child import main; main()"


class ProgramRun:
    """One running program: iterate ``records()`` while it runs, then ``finish()``."""

    def __init__(self, project: Project, fresh: bool) -> None:
        self.project = project
        read_fd, write_fd = os.pipe()
        job = {
            "fd": write_fd,
            "gateRoot": _GATE_ROOT,
            "directory": str(project.directory),
            "main": str(project.main),
            "project": project.name,
            "stack": project.stack,
            "config": project.config,
            "secretKeys": project.secret_keys,
            "packageConfig": {"aws": project.package_config("aws")},
            "account": project.config.get("gate:accountId", DEFAULT_ACCOUNT_ID),
            "fresh": fresh,
        }
        env = {**os.environ, "GATE_JOB": json.dumps(job), "PYTHONUNBUFFERED": "1"}
        env.pop("PYTHONPATH", None)
        self._output: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed in finish/kill)
        try:
            self._process = subprocess.Popen(
                [project.python, "-c", _CHILD.format(root=_GATE_ROOT)],
                cwd=project.directory,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=self._output,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
            )
        except OSError as err:
            raise GateError(
                f"Cannot start the program's interpreter {project.python}: {err}."
            ) from err
        finally:
            os.close(write_fd)
        self._records = os.fdopen(read_fd, "r", encoding="utf-8")

    def records(self) -> Iterator[dict[str, Any]]:
        """Registrations, logs and errors in the order the program produced them."""
        for line in self._records:
            yield json.loads(line)

    def finish(self) -> tuple[int, str]:
        """Wait for the child; return its exit status and what it printed."""
        self._records.close()
        status = self._process.wait()
        self._output.seek(0)
        printed = self._output.read().decode("utf-8", "replace")
        self._output.close()
        return status, printed

    def kill(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._records.close()
        self._output.close()
