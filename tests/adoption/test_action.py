"""action.yml as GitHub Actions runs it: its shell steps, executed locally, in order.

The `uses:` steps (setup-python, upload-sarif) are not run; the test plays their outcome. The
`run:` steps get their `env:` evaluated from the inputs, the `github` context and earlier steps'
outputs, plus the runner's files (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY) and RUNNER_TEMP, as the
runner provides them (https://docs.github.com/en/actions/reference/workflows-and-actions/variables).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import (
    OFFLINE_PIP,
    REPO,
    VIOLATING_PROGRAM,
    clean_env,
    fresh_venv,
    source_copy,
    write_program,
)

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
WORKFLOW = yaml.safe_load(
    (REPO / ".github" / "workflows" / "policy-gate.yml").read_text(encoding="utf-8")
)
_EXPRESSION = re.compile(r"^\$\{\{\s*([\w.-]+)\s*\}\}$")
_CONDITION = re.compile(r"^([\w.-]+)\s*(==|!=)\s*'([^']*)'$")


@dataclass
class Run:
    """One local run of the action: its context, each step's outputs and outcome, the files."""

    inputs: dict[str, str]
    github: dict[str, str]
    directory: Path
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)

    def value(self, path: str) -> str:
        head, _, rest = path.partition(".")
        if head == "inputs":
            return self.inputs[rest]
        if head == "github":
            return self.github.get(rest, "")
        if head == "steps":
            step, _, what = rest.partition(".")
            if what == "outcome":
                return self.outcomes.get(step, "")
            return self.outputs.get(step, {}).get(what.removeprefix("outputs."), "")
        raise AssertionError(f"action.yml uses an expression the test does not model: {path}")

    def expand(self, text: Any) -> str:
        match = _EXPRESSION.match(str(text))
        assert match or "${{" not in str(text), f"unsupported expression in {text!r}"
        return self.value(match.group(1)) if match else str(text)

    def condition(self, text: str | None) -> bool:
        if text is None:
            return True
        match = _CONDITION.match(text.strip())
        assert match, f"unsupported condition {text!r}"
        left, operator, right = match.groups()
        return (self.value(left) == right) == (operator == "==")


def _inputs(**given: str) -> dict[str, str]:
    values = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    unknown = set(given) - values.keys()
    assert not unknown, unknown
    return values | given


def _read_outputs(path: Path) -> dict[str, str]:
    outputs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        outputs[key] = value
    return outputs


def run_action(run: Run, bin_dir: Path, upload_outcome: str) -> tuple[int, str]:
    """Run every step as the runner would; return the last exit status and the job summary."""
    summary = run.directory / "summary.md"
    summary.touch()
    temp = run.directory / "runner-temp"
    temp.mkdir()
    status = 0
    for index, step in enumerate(ACTION["runs"]["steps"]):
        step_id = step.get("id", f"step{index}")
        if not run.condition(step.get("if")):
            run.outcomes[step_id] = "skipped"
            continue
        if "uses" in step:
            run.outcomes[step_id] = upload_outcome if "upload-sarif" in step["uses"] else "success"
            continue
        output_file = run.directory / f"output-{index}"
        output_file.touch()
        env = clean_env(
            bin_dir,
            **OFFLINE_PIP,
            GITHUB_OUTPUT=str(output_file),
            GITHUB_STEP_SUMMARY=str(summary),
            RUNNER_TEMP=str(temp),
            GITHUB_WORKSPACE=str(run.directory),
        )
        env.update({k: run.expand(v) for k, v in step.get("env", {}).items()})
        completed = subprocess.run(
            # the runner's `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=run.directory, env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        run.outputs[step_id] = _read_outputs(output_file)
        run.outcomes[step_id] = "success" if completed.returncode == 0 else "failure"
        status = completed.returncode
        if completed.returncode != 0:
            failure = f"\n[step {step['name']!r} failed]\n{completed.stdout}{completed.stderr}"
            return status, summary.read_text(encoding="utf-8") + failure
    return status, summary.read_text(encoding="utf-8")


def test_run_scripts_take_inputs_only_through_env() -> None:
    """`${{ }}` inside a script would let an input inject shell; the test relies on env too."""
    declared = set(ACTION["inputs"])
    used = set()
    for step in ACTION["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]
            assert step["shell"] == "bash", step["name"]
        text = yaml.safe_dump(step)
        used |= set(re.findall(r"inputs\.([\w-]+)", text))
    assert used == declared, (declared - used, used - declared)


def test_this_repository_workflow_calls_the_action() -> None:
    steps = WORKFLOW["jobs"]["gate"]["steps"]
    (call,) = [s for s in steps if s.get("uses") == "./"]
    assert set(call["with"]) <= set(ACTION["inputs"])
    assert WORKFLOW["permissions"]["security-events"] == "write"
    ci = [s for s in WORKFLOW["jobs"]["test"]["steps"] if s.get("run")]
    assert ci[-1]["run"] == ".ci/run"


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(workspace, action checkout, bin dir): a repository to check and a fresh Python."""
    action = source_copy(tmp_path / "action")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    return workspace, action, fresh_venv(tmp_path / "python")


@pytest.mark.parametrize(
    "scenario",
    [
        (
            "violating-advisory",
            {"event_name": "push"},
            "failure",
            0,
            ["### Policy gate: passed", "Code scanning did not accept the findings"],
        ),
        (
            "violating",
            {"event_name": "pull_request", "event.pull_request.head.repo.full_name": "fork/app"},
            "unused",
            1,
            ["### Policy gate: failed: mandatory violations", "comes from the fork fork/app"],
        ),
        (
            "this-repository",
            {"event_name": "push"},
            "success",
            0,
            ["### Policy gate: passed", "Findings uploaded to code scanning"],
        ),
    ],
    ids=["code-scanning-unavailable", "fork-pull-request", "uploaded"],
)
def test_action_steps(workspace: tuple[Path, Path, Path], scenario: tuple[Any, ...]) -> None:
    """(program kind, github event context, upload-sarif outcome, exit status, summary texts)."""
    program, event, upload, code, says = scenario
    directory, action, bin_dir = workspace
    inputs = {"program": "infra"}
    if program == "this-repository":
        source_copy(directory / "infra")
        # Its Pulumi.yaml names `.venv`: an earlier workflow step (`pulumi install`) built it.
        fresh_venv(directory / "infra" / ".venv")
    else:
        write_program(directory / "infra", VIOLATING_PROGRAM)
    if program == "violating-advisory":
        (directory / "policy-config.json").write_text('{"all": "advisory"}', encoding="utf-8")
        inputs["policy-config"] = "policy-config.json"
    run = Run(
        inputs=_inputs(**inputs),
        github={"action_path": str(action), "repository": "owner/app", **event},
        directory=directory,
    )
    status, summary = run_action(run, bin_dir, upload)
    assert status == code, summary
    for fragment in says:
        assert fragment in summary, summary
    assert run.outputs["gate"]["exit-code"] == str(code)
    sarif = Path(run.outputs["gate"]["sarif-file"])
    assert sarif.is_file()
    if program == "violating":
        assert "urn:pulumi:dev::adopter::aws:s3/bucket:Bucket::logs" in summary
        assert run.outcomes["upload"] == "skipped"
        assert '"level": "error"' in sarif.read_text(encoding="utf-8")


def test_gate_that_cannot_run_fails_the_job_with_exit_2(
    workspace: tuple[Path, Path, Path],
) -> None:
    directory, action, bin_dir = workspace
    run = Run(
        inputs=_inputs(program="missing"),
        github={"action_path": str(action), "repository": "owner/app", "event_name": "push"},
        directory=directory,
    )
    status, summary = run_action(run, bin_dir, "unused")
    assert status == 2, summary
    assert "could not give a verdict (exit 2)" in summary
    assert "the gate wrote no SARIF report" in summary
    assert os.path.basename(run.outputs["gate"].get("sarif-file", "")) == ""
