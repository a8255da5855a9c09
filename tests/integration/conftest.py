"""Integration tests run against a deployed stack with real boto3 calls.

They need the stack's outputs and AWS credentials, and are skipped (with that reason) without:
  INTEGRATION_STACK_OUTPUTS=<file written by `pulumi stack output --json`>, or
  PULUMI_STACK=<stack name> with the Pulumi CLI on PATH (the tests run `pulumi stack output`).
Outputs are read first, so no credential lookup (and no network call) happens when skipping.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED_OUTPUTS = (
    "bucketName",
    "bucketArn",
    "functionName",
    "functionArn",
    "roleArn",
    "dlqUrl",
    "logGroupName",
    "region",
)


@dataclass(frozen=True)
class Deployed:
    """A deployed stack's outputs and a boto3 session in its region."""

    outputs: dict[str, str]
    session: boto3.Session

    def client(self, service: str):
        return self.session.client(service)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the checks of a real deployment (not their offline emulation) `integration`."""
    real = Path(__file__).parent / "test_deployed_stack.py"
    for item in items:
        if item.path == real:
            item.add_marker(pytest.mark.integration)


def _read_outputs() -> dict[str, str] | None:
    path = os.environ.get("INTEGRATION_STACK_OUTPUTS")
    if path:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    stack = os.environ.get("PULUMI_STACK")
    if stack:
        pulumi = shutil.which("pulumi")
        if pulumi is None:
            pytest.skip(f"PULUMI_STACK={stack} is set but the Pulumi CLI is not on PATH")
        result = subprocess.run(
            [pulumi, "stack", "output", "--json", "--stack", stack],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return json.loads(result.stdout)
    return None


@pytest.fixture(scope="session")
def deployed() -> Deployed:
    outputs = _read_outputs()
    if outputs is None:
        pytest.skip(
            "no deployed stack: set INTEGRATION_STACK_OUTPUTS to a file written by "
            "`pulumi stack output --json`, or PULUMI_STACK to a deployed stack's name"
        )
    missing = [key for key in REQUIRED_OUTPUTS if key not in outputs]
    assert not missing, f"stack outputs lack {missing}: is this a serverless-s3-lambda stack?"
    session = boto3.Session(region_name=outputs["region"])
    if session.get_credentials() is None:
        pytest.skip("no AWS credentials found (environment, shared config or SSO)")
    return Deployed(outputs=outputs, session=session)


def pytest_configure(config: pytest.Config) -> None:
    # pulumi_aws warns about its deprecated (V2) classes when its modules load; the emulated
    # run imports the program (tests/unit asserts it never uses them).
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:pulumi_aws.*")
