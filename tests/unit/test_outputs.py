"""Stack outputs: what operators and the integration tests read."""

from __future__ import annotations

import shlex

from tests.unit.harness import ACCOUNT, BASE_CONFIG, REGION, Program, run_program

FUNCTION = "serverless-s3-lambda-dev-processor"
BUCKET = f"serverless-s3-lambda-dev-{ACCOUNT}-{REGION}"


def test_outputs_name_every_deployed_resource(default_program: Program) -> None:
    assert default_program.outputs == {
        "bucketName": BUCKET,
        "bucketArn": f"arn:aws:s3:::{BUCKET}",
        "functionName": FUNCTION,
        "functionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{FUNCTION}",
        "roleArn": f"arn:aws:iam::{ACCOUNT}:role/{FUNCTION}",
        "dlqUrl": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{FUNCTION}-dlq",
        "logGroupName": f"/aws/lambda/{FUNCTION}",
        "region": REGION,
        "testCommand": (
            f"echo hello | aws s3 cp - s3://{BUCKET}/smoke-test.txt --region {REGION} && "
            f"aws logs tail /aws/lambda/{FUNCTION} --since 5m --follow --region {REGION}"
        ),
    }


def test_test_command_uses_the_region_and_passes_the_filters(kms_program: Program) -> None:
    command = kms_program.outputs["testCommand"]
    assert f"/incoming/smoke-test.csv --region {REGION}" in command
    assert command.count(f"--region {REGION}") == 2
    assert "us-east-1" not in command


def test_kms_key_is_an_output_when_used(kms_program: Program, default_program: Program) -> None:
    assert kms_program.outputs["kmsKeyArn"].startswith(f"arn:aws:kms:{REGION}:{ACCOUNT}:key/")
    assert "kmsKeyArn" not in default_program.outputs


def test_test_command_quotes_config_values_for_the_shell() -> None:
    # docs/stack.md has users eval this output: a key filter must not be able to inject a command.
    hostile = "x'; touch /tmp/pwned; echo '"
    program = run_program({**BASE_CONFIG, "keyPrefix": hostile})
    upload, tail = program.outputs["testCommand"].split(" && ")
    assert shlex.split(upload) == [
        "echo", "hello", "|", "aws", "s3", "cp", "-",
        f"s3://{BUCKET}/{hostile}smoke-test.txt", "--region", REGION,
    ]  # fmt: skip
    assert shlex.split(tail)[:3] == ["aws", "logs", "tail"]
