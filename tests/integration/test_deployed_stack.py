"""The deployed stack, checked through AWS's own APIs: the same properties the unit tests
prove on the mock engine, plus an upload the function must process."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.integration.conftest import Deployed

PROCESSING_TIMEOUT_SECONDS = 180


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_bucket_versioning_is_enabled(deployed: Deployed) -> None:
    s3 = deployed.client("s3")
    assert s3.get_bucket_versioning(Bucket=deployed.outputs["bucketName"])["Status"] == "Enabled"


def test_bucket_default_encryption(deployed: Deployed) -> None:
    s3 = deployed.client("s3")
    rules = s3.get_bucket_encryption(Bucket=deployed.outputs["bucketName"])[
        "ServerSideEncryptionConfiguration"
    ]["Rules"]
    default = rules[0]["ApplyServerSideEncryptionByDefault"]
    key_arn = deployed.outputs.get("kmsKeyArn")
    if key_arn is None:
        assert default["SSEAlgorithm"] == "AES256"
        return
    assert default["SSEAlgorithm"] == "aws:kms"
    assert default["KMSMasterKeyID"] == key_arn
    kms = deployed.client("kms")
    assert kms.get_key_rotation_status(KeyId=key_arn)["KeyRotationEnabled"] is True


def test_public_access_is_blocked_and_acls_disabled(deployed: Deployed) -> None:
    s3 = deployed.client("s3")
    bucket = deployed.outputs["bucketName"]
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert block == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    ownership = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]
    assert ownership["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]


def test_bucket_policy_denies_plain_http(deployed: Deployed) -> None:
    s3 = deployed.client("s3")
    bucket = deployed.outputs["bucketName"]
    policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
    denies = [
        s
        for s in policy["Statement"]
        if s["Effect"] == "Deny"
        and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
    ]
    assert denies, policy
    # And S3 enforces it: the same credentials over plain HTTP are refused.
    insecure = deployed.session.client(
        "s3",
        use_ssl=False,
        endpoint_url=f"http://s3.{deployed.outputs['region']}.amazonaws.com",
        config=Config(s3={"addressing_style": "virtual"}, retries={"max_attempts": 1}),
    )
    with pytest.raises(ClientError) as refused:
        insecure.head_bucket(Bucket=bucket)
    assert refused.value.response["Error"]["Code"] in ("403", "AccessDenied")


def notification(deployed: Deployed) -> dict[str, Any]:
    s3 = deployed.client("s3")
    config = s3.get_bucket_notification_configuration(Bucket=deployed.outputs["bucketName"])
    [target] = config["LambdaFunctionConfigurations"]
    return target


def test_notification_targets_the_function_for_created_objects(deployed: Deployed) -> None:
    target = notification(deployed)
    assert target["LambdaFunctionArn"] == deployed.outputs["functionArn"]
    assert target["Events"] == ["s3:ObjectCreated:*"]


def test_only_this_bucket_and_account_may_invoke_the_function(deployed: Deployed) -> None:
    lambda_ = deployed.client("lambda")
    policy = json.loads(lambda_.get_policy(FunctionName=deployed.outputs["functionName"])["Policy"])
    [statement] = [
        s for s in policy["Statement"] if s["Principal"] == {"Service": "s3.amazonaws.com"}
    ]
    account = deployed.outputs["roleArn"].split(":")[4]
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == deployed.outputs["bucketArn"]
    assert statement["Condition"]["StringEquals"]["AWS:SourceAccount"] == account


def test_function_configuration(deployed: Deployed) -> None:
    lambda_ = deployed.client("lambda")
    name = deployed.outputs["functionName"]
    config = lambda_.get_function_configuration(FunctionName=name)
    assert config["Runtime"] == "python3.13"
    assert config["Handler"] == "main.lambda_handler"
    assert config["Role"] == deployed.outputs["roleArn"]
    [layer] = config["Layers"]
    assert ":017000801446:layer:AWSLambdaPowertoolsPythonV3-python313-" in layer["Arn"]
    variables = config["Environment"]["Variables"]
    assert variables["POWERTOOLS_SERVICE_NAME"] == "s3-object-processor"
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == "ServerlessS3Lambda"


def test_function_logs_to_its_log_group_at_the_configured_level(deployed: Deployed) -> None:
    lambda_ = deployed.client("lambda")
    config = lambda_.get_function_configuration(FunctionName=deployed.outputs["functionName"])
    logging_config = config["LoggingConfig"]
    assert logging_config["LogGroup"] == deployed.outputs["logGroupName"]
    assert logging_config["LogFormat"] == "JSON"
    # DEBUG and INFO are the only levels the stack allows, and they have the same names in
    # Powertools and Lambda's log-level filtering.
    powertools_level = config["Environment"]["Variables"]["POWERTOOLS_LOG_LEVEL"]
    assert powertools_level in {"DEBUG", "INFO"}
    assert logging_config["ApplicationLogLevel"] == powertools_level


def test_failed_events_go_to_the_dead_letter_queue(deployed: Deployed) -> None:
    lambda_ = deployed.client("lambda")
    sqs = deployed.client("sqs")
    attributes = sqs.get_queue_attributes(
        QueueUrl=deployed.outputs["dlqUrl"], AttributeNames=["All"]
    )["Attributes"]
    assert attributes["MessageRetentionPeriod"] == str(14 * 24 * 3600)
    assert attributes["SqsManagedSseEnabled"] == "true"
    queue_policy = json.loads(attributes["Policy"])
    assert any(
        statement["Effect"] == "Deny"
        and statement["Condition"]["Bool"]["aws:SecureTransport"] == "false"
        for statement in queue_policy["Statement"]
    ), queue_policy
    invoke_config = lambda_.get_function_event_invoke_config(
        FunctionName=deployed.outputs["functionName"]
    )
    assert invoke_config["MaximumRetryAttempts"] == 2
    assert invoke_config["DestinationConfig"]["OnFailure"]["Destination"] == attributes["QueueArn"]


def test_role_statements_are_scoped(deployed: Deployed) -> None:
    iam = deployed.client("iam")
    role_name = deployed.outputs["roleArn"].rsplit("/", 1)[-1]
    assert iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"] == []
    names = iam.list_role_policies(RoleName=role_name)["PolicyNames"]
    expected = {"least-privilege"} | (
        {"decrypt-bucket-key"} if "kmsKeyArn" in deployed.outputs else set()
    )
    assert set(names) == expected
    documents = [
        iam.get_role_policy(RoleName=role_name, PolicyName=name)["PolicyDocument"] for name in names
    ]
    bucket_arn = deployed.outputs["bucketArn"]
    partition = bucket_arn.split(":")[1]
    own_arns = (f"{bucket_arn}/", *(f"arn:{partition}:{s}:" for s in ("logs", "sqs", "kms")))
    actions: set[str] = set()
    for statement in (s for document in documents for s in document["Statement"]):
        assert statement["Effect"] == "Allow"
        assert "NotAction" not in statement and "NotResource" not in statement
        actions.update(as_list(statement["Action"]))
        for resource in as_list(statement["Resource"]):
            assert resource != "*"
            assert resource == bucket_arn or resource.startswith(own_arns), resource
    assert "logs:CreateLogGroup" not in actions
    assert not any("*" in action for action in actions)


def test_log_group_has_finite_retention(deployed: Deployed) -> None:
    logs = deployed.client("logs")
    name = deployed.outputs["logGroupName"]
    [group] = [
        g
        for g in logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
        if g["logGroupName"] == name
    ]
    assert group.get("retentionInDays", 0) > 0


def test_an_uploaded_object_is_processed(deployed: Deployed) -> None:
    rules = {
        rule["Name"].lower(): rule["Value"]
        for rule in notification(deployed).get("Filter", {}).get("Key", {}).get("FilterRules", [])
    }
    key = f"{rules.get('prefix', '')}integration-{uuid.uuid4().hex}{rules.get('suffix', '.txt')}"
    s3 = deployed.client("s3")
    logs = deployed.client("logs")
    bucket = deployed.outputs["bucketName"]
    started_ms = int(time.time() * 1000) - 60_000
    put = s3.put_object(Bucket=bucket, Key=key, Body=b"integration test\n")
    try:
        deadline = time.monotonic() + PROCESSING_TIMEOUT_SECONDS
        events: list[dict[str, Any]] = []
        while time.monotonic() < deadline and not events:
            time.sleep(5)
            events = logs.filter_log_events(
                logGroupName=deployed.outputs["logGroupName"],
                startTime=started_ms,
                filterPattern=f'{{ $.message = "Object processed" && $.key = "{key}" }}',
            )["events"]
        assert events, f"no 'Object processed' log for {key} within {PROCESSING_TIMEOUT_SECONDS}s"
        record = json.loads(events[0]["message"])
        assert record["bucket"] == bucket
        assert record["version_id"] == put["VersionId"]
    finally:
        s3.delete_object(Bucket=bucket, Key=key, VersionId=put["VersionId"])
