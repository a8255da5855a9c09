"""The program runs on the interpreter Pulumi's Python language host would choose.

A virtualenv built from the same base Python as the gate's resolves to the same executable; the
gate must still run the program in that environment (its own site-packages), and honour
``PULUMI_PYTHON_CMD`` and ``toolchain: uv|poetry`` as ``sdk/python/toolchain`` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import PROBE_PACK, gate_cli, probes, write_program

PROGRAM = """
import sys

import only_in_program_venv
import pulumi_aws as aws

aws.s3.Bucket("b", tags={"prefix": sys.prefix, "marker": only_in_program_venv.MARKER})
"""


PURELIB = "import sysconfig; print(sysconfig.get_path('purelib'))"


def make_venv(path: Path) -> Path:
    """A virtualenv of the gate's base Python that also sees the gate's packages (a .pth file),
    plus a module only it has: the shape of a program's own venv built from the same Python."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(path)],
        check=True,
    )
    site = Path(
        subprocess.run(
            [str(path / "bin" / "python"), "-c", PURELIB],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "gate_venv.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    (site / "only_in_program_venv.py").write_text('MARKER = "program-venv"\n', encoding="utf-8")
    return path


def test_program_virtualenv_of_the_same_base_python_is_used(program_dir: Path) -> None:
    write_program(program_dir, PROGRAM, extra_project_yaml="")
    (program_dir / "Pulumi.yaml").write_text(
        "name: testprog\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
        encoding="utf-8",
    )
    venv = make_venv(program_dir / "venv")
    # The case that fooled a binary comparison: both interpreters are the same executable.
    assert (venv / "bin" / "python").resolve() == Path(sys.executable).resolve()
    # Relative --program: the program directory reaches the child as an absolute path.
    result = gate_cli(
        "--program",
        os.path.relpath(program_dir, program_dir.parent),
        "--policy-pack",
        PROBE_PACK,
        "--format",
        "json",
        cwd=program_dir.parent,
    )
    assert result.code == 0, result.stderr
    tags = probes(result.json())["b"]["props"]["tags"]
    assert tags["marker"] == "program-venv"
    assert Path(tags["prefix"]).resolve() == venv.resolve()


def test_missing_program_virtualenv_is_an_exit_2_naming_it(program_dir: Path) -> None:
    write_program(program_dir, PROGRAM)
    (program_dir / "Pulumi.yaml").write_text(
        "name: testprog\nruntime:\n  name: python\n  options:\n    virtualenv: nowhere\n",
        encoding="utf-8",
    )
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
    assert result.code == 2
    assert "virtualenv 'nowhere'" in result.stderr and "does not exist" in result.stderr


def test_pulumi_python_cmd_is_looked_up_on_path(program_dir: Path, tmp_path: Path) -> None:
    write_program(program_dir, PROGRAM)
    venv = make_venv(tmp_path / "elsewhere")
    result = gate_cli(
        "--program",
        program_dir,
        "--policy-pack",
        PROBE_PACK,
        "--format",
        "json",
        env={"PULUMI_PYTHON_CMD": "python", "PATH": f"{venv / 'bin'}:/usr/bin:/bin"},
    )
    assert result.code == 0, result.stderr
    tags = probes(result.json())["b"]["props"]["tags"]
    assert tags["marker"] == "program-venv"
    assert Path(tags["prefix"]).resolve() == venv.resolve()


def test_pulumi_python_cmd_not_on_path_is_an_exit_2(program_dir: Path) -> None:
    write_program(program_dir, PROGRAM)
    result = gate_cli(
        "--program", program_dir, "--policy-pack", PROBE_PACK, env={"PULUMI_PYTHON_CMD": "nope3"}
    )
    assert result.code == 2
    assert "PULUMI_PYTHON_CMD names 'nope3'" in result.stderr


def test_uv_toolchain_uses_the_venv_beside_pyproject(program_dir: Path) -> None:
    write_program(program_dir, PROGRAM)
    (program_dir / "Pulumi.yaml").write_text(
        "name: testprog\nruntime:\n  name: python\n  options:\n    toolchain: uv\n",
        encoding="utf-8",
    )
    (program_dir / "pyproject.toml").write_text('[project]\nname = "p"\n', encoding="utf-8")
    venv = make_venv(program_dir / ".venv")
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stderr
    assert Path(probes(result.json())["b"]["props"]["tags"]["prefix"]).resolve() == venv.resolve()


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ("toolchain: poetry", "poetry is not on PATH"),
        ("toolchain: conda", "'toolchain: conda' is not one the Python language host knows"),
    ],
)
def test_unusable_toolchain_is_an_exit_2(program_dir: Path, options: str, fragment: str) -> None:
    write_program(program_dir, PROGRAM)
    (program_dir / "Pulumi.yaml").write_text(
        f"name: testprog\nruntime:\n  name: python\n  options:\n    {options}\n", encoding="utf-8"
    )
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
    assert result.code == 2
    assert fragment in result.stderr
