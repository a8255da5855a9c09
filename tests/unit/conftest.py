"""Fixtures shared by the unit tests: the program run once per module per config shape."""

from __future__ import annotations

import pytest

from tests.unit.harness import (
    ACCOUNT,
    BASE_CONFIG,
    REGION,
    Program,
    run_program,
    stack_file_config,
)


@pytest.fixture(scope="module")
def default_program() -> Program:
    """The program with only the required keys set (every default in effect)."""
    return run_program(BASE_CONFIG)


@pytest.fixture(scope="module")
def kms_program() -> Program:
    """SSE-KMS, filters, an alarm topic and extra tags: every optional branch taken."""
    return run_program(
        {
            **BASE_CONFIG,
            "encryption": "aws:kms",
            "keyPrefix": "incoming/",
            "keySuffix": ".csv",
            "alarmTopicArn": f"arn:aws:sns:{REGION}:{ACCOUNT}:ops-alerts",
            "extraTags": {"CostCenter": "1234", "Data Class": "internal"},
            "architecture": "x86_64",
            "memorySize": 512,
            "timeout": 60,
            "logRetentionDays": 90,
            "logLevel": "debug",
            "powertoolsLayerVersion": 31,
            "maxEventAgeSeconds": 600,
            "noncurrentVersionExpirationDays": 7,
            "environment": "staging",
        },
        stack="anything",
    )


@pytest.fixture(scope="module")
def dev_file_program() -> Program:
    """The example stack exactly as Pulumi.dev.yaml configures it."""
    return run_program(stack_file_config("dev"), stack="dev")


def pytest_configure(config: pytest.Config) -> None:
    # pulumi_aws warns about its deprecated (V2) classes when its modules load, whether or
    # not a program uses them; test_secure_bucket asserts that ours never does.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:pulumi_aws.*")
