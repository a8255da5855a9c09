"""`make venv` rebuilding a foreign .venv, `make gate` passing options, the pre-commit hook."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, VIOLATING_PROGRAM, clean_env, write_program

_SPEC = importlib.util.spec_from_file_location("ensure_venv", REPO / "tools" / "ensure_venv.py")
assert _SPEC is not None and _SPEC.loader is not None
ensure_venv = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(ensure_venv)

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
SCRIPTS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]


def fake_venv(directory: Path, python: str | None, version: str = "3.9.18") -> Path:
    """A venv directory whose bin/python is ``python`` (a script text), or a dangling link."""
    (directory / "bin").mkdir(parents=True)
    (directory / "pyvenv.cfg").write_text(f"home = /gone\nversion = {version}\n", encoding="utf-8")
    interpreter = directory / "bin" / "python"
    if python is None:
        interpreter.symlink_to(directory / "no-such-python3.9")
    else:
        interpreter.write_text(python, encoding="utf-8")
        interpreter.chmod(0o755)
    (directory / "marker").touch()
    return directory


def test_venv_whose_interpreter_is_gone_is_stale(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path / ".venv", None)
    reason = ensure_venv.stale_reason(venv)
    assert reason is not None
    assert "no longer runs" in reason
    assert "Python 3.9.18" in reason


def test_venv_of_another_python_version_is_stale(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path / ".venv", "#!/bin/sh\necho 3 9\n")
    assert ensure_venv.stale_reason(venv) == "it was made by Python 3.9"


def test_venv_of_this_python_is_kept(tmp_path: Path) -> None:
    venv = fake_venv(tmp_path / ".venv", f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    assert ensure_venv.stale_reason(venv) is None


def test_stale_venv_is_removed_and_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    venv = fake_venv(tmp_path / ".venv", None)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("", encoding="utf-8")
    made = []

    def create(path: Path) -> None:  # stands in for `python -m venv` + pip (no network in tests)
        made.append(path)
        fake_venv(path, f'#!/bin/sh\nexec {sys.executable} "$@"\n')
        (path / ensure_venv.STAMP).touch()

    monkeypatch.setattr(ensure_venv, "create", create)
    assert ensure_venv.main([str(venv), str(requirements)]) == 0
    assert made == [venv]
    captured = capsys.readouterr()
    assert captured.out == ""  # progress is on stderr: `make gate > report` gets only the report
    assert ".venv cannot be used: its interpreter" in captured.err
    assert "removing it and making it again" in captured.err


def test_requirement_includes_are_followed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("-r sub/b.txt\nx\n", encoding="utf-8")
    (tmp_path / "sub" / "b.txt").write_text("--requirement=c.txt\n", encoding="utf-8")
    (tmp_path / "sub" / "c.txt").write_text("y\n", encoding="utf-8")
    found = ensure_venv.requirement_files([tmp_path / "a.txt"])
    assert {p.resolve() for p in found} == {
        tmp_path / "a.txt",
        tmp_path / "sub" / "b.txt",
        tmp_path / "sub" / "c.txt",
    }


def test_old_interpreter_gets_one_paragraph(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "version_info", (3, 10, 14, "final", 0))
    assert ensure_venv.main([".venv", "requirements.txt"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: this repository needs Python 3.11+")
    assert "make PYTHON=" in err


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_gate_passes_stack_and_args_through() -> None:
    dry = subprocess.run(
        ["make", "-n", "gate", "STACK=prod", "ARGS=--fresh --format sarif"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "tools/ensure_venv.py .venv" in dry
    assert "-m gate --program . --stack prod --policy-pack policypack --fresh --format sarif" in dry


def test_pre_commit_hook_runs_the_console_script() -> None:
    (hook,) = HOOKS
    assert hook["id"] == "pulumi-policy-gate"
    assert hook["language"] == "python"  # pre-commit pip-installs this repository for it
    assert hook["entry"] in SCRIPTS
    assert hook["pass_filenames"] is False  # the gate checks a program, not files
    files = re.compile(hook["files"])
    for path in ("__main__.py", "infra/bucket.py", "Pulumi.yaml", "Pulumi.prod.yaml",
                 "policy-config.json", "policypack/PulumiPolicy.yaml"):  # fmt: skip
        assert files.search(path), path
    assert not files.search("README.md")


def test_pre_commit_hook_entry_runs_as_pre_commit_would(
    installed_gate: Path, tmp_path: Path
) -> None:
    """pre-commit runs `entry args...` in the repository root with its hook venv on PATH."""
    (hook,) = HOOKS
    repository = write_program(tmp_path / "repo", VIOLATING_PROGRAM)
    (repository / "policy-config.json").write_text('{"all": "advisory"}', encoding="utf-8")
    for config, code in ((None, 1), ("policy-config.json", 0)):
        args = ["--program", ".", "--stack", "dev"]
        if config:
            args += ["--policy-config", config]
        result = subprocess.run(
            [hook["entry"], *hook.get("args", []), *args], cwd=repository,
            env=clean_env(installed_gate), capture_output=True, text=True, timeout=180,
            check=False,
        )  # fmt: skip
        assert result.returncode == code, result.stdout + result.stderr


def test_ci_entry_point_installs_and_runs_make_test() -> None:
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "set -euo pipefail" in script  # any failing step fails CI
    commands = [line.strip() for line in script.splitlines() if line.startswith("make ")]
    assert "make test" in commands
    targets = subprocess.run(
        ["make", "-n", "test"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "tools/ensure_venv.py .venv" in targets  # make test builds .venv itself
