"""Trigger wiring: a scoped lambda.Permission, then the ObjectCreated notification."""

from __future__ import annotations

from tests.unit.harness import ACCOUNT, REGION, Program

BUCKET = f"serverless-s3-lambda-dev-{ACCOUNT}-{REGION}"
FUNCTION = "serverless-s3-lambda-dev-processor"
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{FUNCTION}"


def test_only_this_bucket_in_this_account_may_invoke_the_function(
    default_program: Program,
) -> None:
    permission = default_program.one("aws:lambda/permission:Permission")
    assert permission.inputs["action"] == "lambda:InvokeFunction"
    assert permission.inputs["function"] == FUNCTION
    assert permission.inputs["principal"] == "s3.amazonaws.com"
    assert permission.inputs["sourceArn"] == f"arn:aws:s3:::{BUCKET}"
    assert permission.inputs["sourceAccount"] == ACCOUNT


def test_account_comes_from_the_caller_identity(default_program: Program) -> None:
    assert "aws:index/getCallerIdentity:getCallerIdentity" in default_program.invokes
    assert set(default_program.invokes) <= {
        "aws:index/getCallerIdentity:getCallerIdentity",
        "aws:index/getPartition:getPartition",
    }


def test_every_created_object_notifies_the_function(default_program: Program) -> None:
    notification = default_program.one("aws:s3/bucketNotification:BucketNotification")
    assert notification.inputs["bucket"] == BUCKET
    assert notification.inputs["lambdaFunctions"] == [
        {"lambdaFunctionArn": FUNCTION_ARN, "events": ["s3:ObjectCreated:*"]}
    ]
    assert "queues" not in notification.inputs
    assert "topics" not in notification.inputs


def test_notification_is_declared_after_the_permission(default_program: Program) -> None:
    notification = default_program.one("aws:s3/bucketNotification:BucketNotification")
    permission = default_program.one("aws:lambda/permission:Permission")
    assert permission.urn in notification.dependencies


def test_key_filters_follow_config(kms_program: Program) -> None:
    notification = kms_program.one("aws:s3/bucketNotification:BucketNotification")
    [target] = notification.inputs["lambdaFunctions"]
    assert target["events"] == ["s3:ObjectCreated:*"]
    assert target["filterPrefix"] == "incoming/"
    assert target["filterSuffix"] == ".csv"
