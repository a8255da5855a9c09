"""Which Python runs a program, chosen as Pulumi's Python language host chooses it.

Mirrors pulumi/pulumi ``sdk/python/toolchain``: ``ResolveToolchain`` (toolchain.go) picks pip (the
default), ``poetry`` or ``uv`` from ``runtime.options.toolchain``; pip runs the ``virtualenv:``
option's ``bin/python`` (resolved against the project root, ``resolveVirtualEnvironmentPath`` in
pip.go) or, without one, ``PULUMI_PYTHON_CMD`` looked up on ``PATH`` (``CommandPath``); uv uses
``virtualenv:`` or the ``.venv`` beside the nearest ``uv.lock``/``pyproject.toml`` (``newUv`` in
uv.go); poetry asks ``poetry env info --path`` in the program directory (``virtualenvPath`` in
poetry.go). The program then runs with that environment activated (``ActivateVirtualEnv``:
``VIRTUAL_ENV`` set, its ``bin`` first on ``PATH``, ``PYTHONHOME`` removed).

Without any of these the language host runs ``python3`` from ``PATH``; the gate runs the program
on its own interpreter instead, the one it was started with.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import GateError


@dataclass(frozen=True)
class Interpreter:
    """The program's Python: its executable and its environment (``sys.prefix``)."""

    python: str
    prefix: str
    virtualenv: str | None  # activated for the program when set

    def is_current(self) -> bool:
        """Whether this is the gate's own environment (same prefix; binaries may be shared)."""
        return _same_path(self.prefix, sys.prefix)

    def environment(self, env: dict[str, str]) -> dict[str, str]:
        """``env`` with this virtualenv activated, as ``ActivateVirtualEnv`` does."""
        if self.virtualenv is None:
            return env
        dropped = ("PYTHONHOME", "VIRTUAL_ENV")
        activated = {k: v for k, v in env.items() if k.upper() not in dropped}
        bin_dir = str(Path(self.virtualenv) / "bin")
        path = env.get("PATH")
        activated["PATH"] = bin_dir + os.pathsep + path if path else bin_dir
        activated["VIRTUAL_ENV"] = self.virtualenv
        return activated


def resolve_interpreter(
    root: Path, program_dir: Path, runtime: Any, project_file: Path
) -> Interpreter:
    """The interpreter the language host would run the program with; GateError when missing."""
    options = runtime.get("options") if isinstance(runtime, dict) else None
    options = options if isinstance(options, dict) else {}
    toolchain = options.get("toolchain", "pip")
    venv_option = options.get("virtualenv")
    if venv_option is not None and not isinstance(venv_option, str):
        raise GateError(f"{project_file}: 'virtualenv:' must be a path, not {venv_option!r}.")
    if toolchain == "pip":
        if venv_option:
            return _from_virtualenv(_resolve(root, venv_option), venv_option, project_file)
        command = os.environ.get("PULUMI_PYTHON_CMD")
        if command:
            found = shutil.which(command)
            if found is None:
                raise GateError(
                    f"PULUMI_PYTHON_CMD names {command!r}, which is not on PATH; the language "
                    "host would fail the same way (failed to locate it on your PATH)."
                )
            return _from_executable(found)
        return Interpreter(sys.executable, sys.prefix, None)
    if toolchain == "uv":
        venv = _resolve(root, venv_option) if venv_option else _uv_default(root)
        return _from_virtualenv(venv, venv_option or str(venv), project_file)
    if toolchain == "poetry":
        return _from_virtualenv(_poetry_env(program_dir), "poetry env info --path", project_file)
    raise GateError(
        f"{project_file}: 'toolchain: {toolchain}' is not one the Python language host knows; "
        "use pip (the default), poetry or uv."
    )


def _resolve(root: Path, venv: str) -> Path:
    path = Path(venv)
    return path if path.is_absolute() else root / path


def _uv_default(root: Path) -> Path:
    """``newUv``: ``.venv`` beside the nearest ``uv.lock``, else ``pyproject.toml``, else root."""
    for marker in ("uv.lock", "pyproject.toml"):
        for directory in (root, *root.parents):
            if (directory / marker).exists():
                return directory / ".venv"
    return root / ".venv"


def _poetry_env(program_dir: Path) -> Path:
    poetry = shutil.which("poetry")
    if poetry is None:
        raise GateError(
            "Pulumi.yaml sets 'toolchain: poetry', but poetry is not on PATH (the language host "
            "fails the same way: poetry not found on path); install poetry and run poetry install."
        )
    try:
        completed = subprocess.run(
            [poetry, "env", "info", "--path"],
            cwd=program_dir,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise GateError(f"`poetry env info --path` failed in {program_dir}: {err}.") from err
    path = completed.stdout.strip()
    if completed.returncode != 0 or not path:
        raise GateError(
            f"`poetry env info --path` found no virtualenv in {program_dir} (run poetry install): "
            + (completed.stderr.strip() or f"exit status {completed.returncode}")
            + "."
        )
    return Path(path)


def _from_virtualenv(venv: Path, named: str, project_file: Path) -> Interpreter:
    python = venv / "bin" / "python"
    if not python.is_file():
        state = "does not exist" if not venv.exists() else "is not a virtual environment"
        raise GateError(
            f"{project_file.name} names the virtualenv {named!r}, but {venv} {state} (no "
            f"bin/python). Create it as the language host would: python3 -m venv {venv} && "
            f"{python} -m pip install -r requirements.txt."
        )
    return Interpreter(str(python.absolute()), str(venv.absolute()), str(venv.absolute()))


def _from_executable(python: str) -> Interpreter:
    """An interpreter named by command: a virtualenv's when ``pyvenv.cfg`` sits above its bin."""
    path = Path(python).absolute()
    venv = path.parent.parent
    if (venv / "pyvenv.cfg").is_file():
        return Interpreter(str(path), str(venv), str(venv))
    try:
        prefix = subprocess.run(
            [str(path), "-c", "import sys; print(sys.prefix)"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as err:
        raise GateError(f"Cannot run the program's interpreter {path}: {err}.") from err
    return Interpreter(str(path), prefix, None)


def _same_path(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b
