"""The processor: log group, least-privilege role, DLQ, function, async config, alarms."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path
from typing import Any

import pytest
from aws_lambda_powertools.shared.constants import LAMBDA_ADVANCED_LOGGING_LEVELS

from infra.config import DEFAULT_POWERTOOLS_RELEASE, LOG_LEVELS
from tests.unit.harness import ACCOUNT, REGION, Program

FUNCTION = "serverless-s3-lambda-dev-processor"
LOG_GROUP = f"/aws/lambda/{FUNCTION}"
QUEUE = f"{FUNCTION}-dlq"
QUEUE_ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:{QUEUE}"
BUCKET = f"serverless-s3-lambda-dev-{ACCOUNT}-{REGION}"
KMS_KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef"
STAGING_FUNCTION = "serverless-s3-lambda-staging-processor"
REPO = Path(__file__).resolve().parents[2]


def role_policies(program: Program) -> dict[str, Any]:
    """The role's inline policies by name."""
    return {p.inputs["name"]: p for p in program.of_type("aws:iam/rolePolicy:RolePolicy")}


def statements(program: Program) -> list[dict[str, Any]]:
    return [s for p in role_policies(program).values() for s in p.policy()["Statement"]]


def test_log_group_is_the_functions_own_with_finite_retention(
    default_program: Program, kms_program: Program
) -> None:
    log_group = default_program.one("aws:cloudwatch/logGroup:LogGroup")
    assert log_group.inputs["name"] == LOG_GROUP
    assert log_group.inputs["retentionInDays"] == 30
    staging = kms_program.one("aws:cloudwatch/logGroup:LogGroup")
    assert staging.inputs["retentionInDays"] == 90


def test_role_trusts_only_the_lambda_service(default_program: Program) -> None:
    role = default_program.one("aws:iam/role:Role")
    assert role.inputs["name"] == FUNCTION
    assert role.policy("assumeRolePolicy") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "LambdaAssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    # No managed policies (AWSLambdaBasicExecutionRole grants logs:* on every log group).
    assert default_program.of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment") == []
    assert "managedPolicyArns" not in role.inputs


def test_role_permissions_are_exact_statements_on_exact_arns(default_program: Program) -> None:
    assert set(role_policies(default_program)) == {"least-privilege"}
    role_policy = role_policies(default_program)["least-privilege"]
    assert role_policy.inputs["role"] == f"{FUNCTION}-role-id"
    assert statements(default_program) == [
        {
            "Sid": "ReadUploadedObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion"],
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        },
        {
            "Sid": "TellDeletedObjectsFromDeniedOnes",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": f"arn:aws:s3:::{BUCKET}",
        },
        {
            "Sid": "WriteOwnLogGroup",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{LOG_GROUP}:*",
        },
        {
            "Sid": "SendFailedEventsToDlq",
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Resource": QUEUE_ARN,
        },
    ]


def test_kms_mode_adds_decrypt_on_the_bucket_key_only(kms_program: Program) -> None:
    policies = role_policies(kms_program)
    assert set(policies) == {"least-privilege", "decrypt-bucket-key"}
    # Its own document: the key's ARN is unknown before the key exists, and must not make
    # the other statements unknown to the policy pack on a first preview.
    assert policies["decrypt-bucket-key"].policy() == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DecryptUploadedObjects",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": KMS_KEY_ARN,
            }
        ],
    }
    assert len(policies["least-privilege"].policy()["Statement"]) == 4


@pytest.mark.parametrize("program_name", ["default_program", "kms_program"])
def test_no_statement_is_broader_than_needed(
    program_name: str, request: pytest.FixtureRequest
) -> None:
    program: Program = request.getfixturevalue(program_name)
    for statement in statements(program):
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        resources = (
            statement["Resource"]
            if isinstance(statement["Resource"], list)
            else [statement["Resource"]]
        )
        assert statement["Effect"] == "Allow"
        assert not {"NotAction", "NotResource", "NotPrincipal"} & set(statement)
        assert all("*" not in action for action in actions), statement
        assert "logs:CreateLogGroup" not in actions
        for resource in resources:
            assert resource != "*"
            assert "arn:aws:logs:*" not in resource
            # The only wildcard allowed is the trailing one meaning "objects/streams of".
            assert "*" not in resource.removesuffix("/*").removesuffix(":*"), resource


def test_dead_letter_queue_is_encrypted_and_keeps_events_14_days(default_program: Program) -> None:
    queue = default_program.one("aws:sqs/queue:Queue")
    assert queue.inputs["name"] == QUEUE
    assert queue.inputs["messageRetentionSeconds"] == 14 * 24 * 3600
    assert queue.inputs["sqsManagedSseEnabled"] is True


def test_dead_letter_queue_refuses_requests_without_tls(default_program: Program) -> None:
    policy = default_program.one("aws:sqs/queuePolicy:QueuePolicy")
    assert policy.inputs["queueUrl"] == f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{QUEUE}"
    assert policy.policy() == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sqs:*",
                "Resource": QUEUE_ARN,
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


def test_function_runs_the_handler_on_a_supported_runtime(default_program: Program) -> None:
    function = default_program.one("aws:lambda/function:Function")
    inputs = function.inputs
    assert inputs["name"] == FUNCTION
    assert inputs["runtime"] == "python3.13"
    assert inputs["handler"] == "main.lambda_handler"
    assert inputs["role"] == f"arn:aws:iam::{ACCOUNT}:role/{FUNCTION}"
    assert inputs["architectures"] == ["arm64"]
    assert inputs["memorySize"] == 256
    assert inputs["timeout"] == 30
    assert inputs["layers"] == [
        f"arn:aws:lambda:{REGION}:017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-arm64:27"
    ]
    assert inputs["environment"] == {
        "variables": {
            "POWERTOOLS_SERVICE_NAME": "s3-object-processor",
            "POWERTOOLS_METRICS_NAMESPACE": "ServerlessS3Lambda",
            "POWERTOOLS_LOG_LEVEL": "INFO",
        }
    }
    assert inputs["loggingConfig"] == {
        "logFormat": "JSON",
        "logGroup": LOG_GROUP,
        "applicationLogLevel": "INFO",
    }


def test_function_settings_follow_config(kms_program: Program) -> None:
    inputs = kms_program.one("aws:lambda/function:Function").inputs
    assert inputs["name"] == STAGING_FUNCTION
    assert inputs["architectures"] == ["x86_64"]
    assert inputs["memorySize"] == 512
    assert inputs["timeout"] == 60
    assert inputs["layers"] == [
        f"arn:aws:lambda:{REGION}:017000801446:layer:"
        "AWSLambdaPowertoolsPythonV3-python313-x86_64:31"
    ]
    assert inputs["environment"]["variables"]["POWERTOOLS_LOG_LEVEL"] == "DEBUG"
    # Lambda's own level outranks Powertools' when set, so it must agree.
    assert inputs["loggingConfig"]["applicationLogLevel"] == "DEBUG"


@pytest.mark.parametrize("level", LOG_LEVELS)
def test_lambda_log_level_means_the_same_to_powertools(level: str) -> None:
    # The stack passes logLevel to Lambda's filter unchanged; Powertools must read it back as
    # the same Python level.
    assert LAMBDA_ADVANCED_LOGGING_LEVELS[level] == level


def test_function_package_is_the_handler_source_without_dev_files(
    default_program: Program,
) -> None:
    archive = default_program.one("aws:lambda/function:Function").inputs["code"]
    members = set(archive.assets)
    assert "main.py" in members
    assert not any(
        "__pycache__" in m or m.endswith(".pyc") or m.startswith("requirements") for m in members
    )


@pytest.mark.parametrize("program_name", ["default_program", "kms_program"])
def test_function_waits_for_its_log_group_and_permissions(
    program_name: str, request: pytest.FixtureRequest
) -> None:
    program: Program = request.getfixturevalue(program_name)
    function = program.one("aws:lambda/function:Function")
    assert program.one("aws:cloudwatch/logGroup:LogGroup").urn in function.dependencies
    for policy in role_policies(program).values():
        assert policy.urn in function.dependencies


def test_async_invocations_retry_twice_then_go_to_the_dlq(default_program: Program) -> None:
    config = default_program.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")
    assert config.inputs["functionName"] == FUNCTION
    assert config.inputs["maximumRetryAttempts"] == 2
    assert config.inputs["maximumEventAgeInSeconds"] == 3600
    assert config.inputs["destinationConfig"] == {"onFailure": {"destination": QUEUE_ARN}}
    assert default_program.one("aws:sqs/queue:Queue").urn in config.dependencies


def test_maximum_event_age_follows_config(kms_program: Program) -> None:
    config = kms_program.one("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")
    assert config.inputs["maximumEventAgeInSeconds"] == 600


def test_alarms_watch_errors_lost_events_and_dlq_depth(default_program: Program) -> None:
    alarms = {
        a.inputs["name"]: a.inputs
        for a in default_program.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    }
    assert set(alarms) == {
        f"{FUNCTION}-errors",
        f"{FUNCTION}-destination-failures",
        f"{FUNCTION}-dlq-depth",
    }
    expected = {
        f"{FUNCTION}-errors": ("AWS/Lambda", "Errors", "Sum", {"FunctionName": FUNCTION}),
        f"{FUNCTION}-destination-failures": (
            "AWS/Lambda",
            "DestinationDeliveryFailures",
            "Sum",
            {"FunctionName": FUNCTION},
        ),
        f"{FUNCTION}-dlq-depth": (
            "AWS/SQS",
            "ApproximateNumberOfMessagesVisible",
            "Maximum",
            {"QueueName": QUEUE},
        ),
    }
    for name, (namespace, metric, statistic, dimensions) in expected.items():
        alarm = alarms[name]
        assert (alarm["namespace"], alarm["metricName"], alarm["statistic"]) == (
            namespace,
            metric,
            statistic,
        )
        assert alarm["dimensions"] == dimensions
        assert alarm["threshold"] == 1
        assert alarm["comparisonOperator"] == "GreaterThanOrEqualToThreshold"
        assert alarm["treatMissingData"] == "notBreaching"
        # No topic configured: the alarms exist but notify nobody.
        assert alarm.get("alarmActions", []) == []


def test_alarms_notify_the_configured_topic(kms_program: Program) -> None:
    topic = f"arn:aws:sns:{REGION}:{ACCOUNT}:ops-alerts"
    alarms = kms_program.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    assert len(alarms) == 3
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == [topic]
        assert alarm.inputs["okActions"] == [topic]


def test_tests_pin_the_powertools_release_the_default_layer_carries() -> None:
    # The function gets Powertools from the layer; the handler's tests run against the PyPI pin.
    # If they drift apart, the tests prove a library the function does not run with.
    pins = (REPO / "lambda_code" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert f"aws-lambda-powertools=={DEFAULT_POWERTOOLS_RELEASE}" in pins
    assert importlib.metadata.version("aws-lambda-powertools") == DEFAULT_POWERTOOLS_RELEASE
