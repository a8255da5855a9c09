"""The deployed-stack checks, run offline against the program's own resources created in
moto's emulated AWS (see emulated_aws.py). This proves the checks themselves against AWS's
response shapes and lets AWS's validation, as moto emulates it, judge what the program
declares. It is no substitute for a real deployment: moto cannot run the function (that needs
Docker), does not enforce bucket policies, and does not echo a function's LoggingConfig."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

import tests.integration.test_deployed_stack as checks
from tests.integration.conftest import Deployed
from tests.integration.emulated_aws import EmulatedStack, accept_public_layers
from tests.unit.harness import ACCOUNT, BASE_CONFIG, REGION, run_program

NOT_EMULATED = {
    "test_bucket_policy_denies_plain_http": "moto does not enforce bucket policies",
    "test_an_uploaded_object_is_processed": "moto needs Docker to run a Lambda function",
    "test_function_logs_to_its_log_group_at_the_configured_level": (
        "moto does not return a function's LoggingConfig"
    ),
}
CHECKS = sorted(
    name
    for name, member in inspect.getmembers(checks, inspect.isfunction)
    if name.startswith("test_")
)
STACKS = {
    "sse-s3": {**BASE_CONFIG},
    "sse-kms-filtered": {
        **BASE_CONFIG,
        "encryption": "aws:kms",
        "keyPrefix": "incoming/",
        "keySuffix": ".csv",
        "alarmTopicArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:ops-alerts",
        "logLevel": "DEBUG",
        "architecture": "x86_64",
    },
}


@pytest.fixture(scope="module", params=sorted(STACKS))
def emulated(
    request: pytest.FixtureRequest, monkeypatch_module: pytest.MonkeyPatch
) -> Iterator[Deployed]:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch_module.setenv(key, "testing")
    monkeypatch_module.delenv("AWS_PROFILE", raising=False)
    accept_public_layers(monkeypatch_module)
    program = run_program(STACKS[request.param])
    with mock_aws():
        session = boto3.Session(region_name=REGION)
        outputs = EmulatedStack(session).deploy(program)
        yield Deployed(outputs=outputs, session=session)


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_every_deployed_stack_check_is_run_or_excused() -> None:
    assert set(NOT_EMULATED) <= set(CHECKS)
    assert len(CHECKS) - len(NOT_EMULATED) >= 9


@pytest.mark.parametrize("check", CHECKS)
def test_emulated_stack_passes(check: str, emulated: Deployed) -> None:
    if check in NOT_EMULATED:
        pytest.skip(NOT_EMULATED[check])
    getattr(checks, check)(emulated)
