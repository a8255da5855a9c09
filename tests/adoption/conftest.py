"""Helpers for the adoption tests: a copy of the source tree, a fresh venv, the installed gate.

Offline by construction: wheels are built with ``--no-build-isolation`` from the setuptools in
``.venv``, installed with ``--no-index --no-deps``, and the fresh venv sees the test venv's
packages through a ``.pth`` file (the gate's dependencies), never an index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GATE_FIXTURES = REPO / "tests" / "gate" / "fixtures"
COMPLIANT = GATE_FIXTURES / "programs" / "compliant"
BASIC_PACK = GATE_FIXTURES / "packs" / "basic"
_SKIP = shutil.ignore_patterns(
    ".venv", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis", "build",
    "*.egg-info", "tests",
)  # fmt: skip
OFFLINE_PIP = {"PIP_NO_INDEX": "1", "PIP_NO_DEPS": "1", "PIP_NO_BUILD_ISOLATION": "0"}
"""pip's environment for offline installs (``PIP_NO_BUILD_ISOLATION=0`` turns isolation off)."""

VIOLATING_PROGRAM = """
import pulumi_aws as aws

aws.s3.Bucket("logs")
"""


def source_copy(destination: Path) -> Path:
    """This repository's files (no venv, caches or tests) copied to ``destination``."""
    shutil.copytree(REPO, destination, ignore=_SKIP, symlinks=False)
    return destination


def fresh_venv(directory: Path) -> Path:
    """A new venv in ``directory`` that sees this interpreter's site-packages; its bin dir."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(directory)], check=True)
    python = directory / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    Path(purelib, "test-venv-packages.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    return directory / "bin"


def clean_env(bin_dir: Path, **extra: str) -> dict[str, str]:
    """An environment like a user's shell with ``bin_dir`` first on PATH and no PYTHONPATH."""
    return {
        "PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin",
        "HOME": str(Path.home()),
        "LANG": "C.UTF-8",
        **extra,
    }


def write_program(directory: Path, source: str, name: str = "adopter") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n", encoding="utf-8")
    (directory / "__main__.py").write_text(textwrap.dedent(source), encoding="utf-8")
    return directory


@pytest.fixture
def installed_gate(tmp_path: Path) -> Path:
    """The gate built as a wheel and installed into a fresh venv; the venv's bin directory."""
    source = source_copy(tmp_path / "src")
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
         "--wheel-dir", str(wheels), str(source)],
        env={**os.environ, **OFFLINE_PIP}, check=True,
    )  # fmt: skip
    bin_dir = fresh_venv(tmp_path / "venv")
    subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", *map(str, wheels.glob("*.whl"))],
        env={**os.environ, **OFFLINE_PIP}, check=True,
    )  # fmt: skip
    return bin_dir
