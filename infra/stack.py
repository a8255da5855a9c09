"""Assembles the stack from validated config: names, ARNs, components and stack outputs."""

from __future__ import annotations

import shlex
from pathlib import Path

from infra.aws_context import AwsContext
from infra.config import StackConfig
from infra.packaging import code_archive
from infra.processor import HANDLER, ObjectProcessor, ObjectProcessorArgs
from infra.secure_bucket import SecureBucket, SecureBucketArgs
from infra.trigger import ObjectCreatedTrigger, ObjectCreatedTriggerArgs

SMOKE_TEST_KEY = "smoke-test"


def bucket_name(config: StackConfig, context: AwsContext) -> str:
    """Globally unique and readable: <project>-<environment>-<account>-<region>."""
    return f"{config.name_prefix}-{context.account_id}-{context.region}"


def build_stack(config: StackConfig, context: AwsContext, code_dir: Path) -> dict[str, object]:
    """Declare every resource; return the stack outputs (name -> value or Output).

    Everything that can fail (the layer's partition, the handler's package) is resolved
    before the first resource is declared.
    """
    layer_arn = context.powertools_layer_arn(config.architecture, config.powertools_layer_version)
    code = code_archive(code_dir, HANDLER)
    bucket = bucket_name(config, context)
    function_name = f"{config.name_prefix}-processor"
    log_group_name = f"/aws/lambda/{function_name}"
    queue_name = f"{function_name}-dlq"
    tags = config.tags

    storage = SecureBucket(
        f"{config.name_prefix}-uploads",
        SecureBucketArgs(
            bucket_name=bucket,
            bucket_arn=context.bucket_arn(bucket),
            objects_arn=context.objects_arn(bucket),
            encryption=config.encryption,
            noncurrent_version_expiration_days=config.noncurrent_version_expiration_days,
            force_destroy=config.force_destroy,
            tags=tags,
        ),
    )

    processor = ObjectProcessor(
        function_name,
        ObjectProcessorArgs(
            function_name=function_name,
            log_group_name=log_group_name,
            log_streams_arn=context.log_streams_arn(log_group_name),
            queue_name=queue_name,
            queue_arn=context.queue_arn(queue_name),
            bucket_arn=context.bucket_arn(bucket),
            objects_arn=context.objects_arn(bucket),
            code=code,
            layer_arn=layer_arn,
            architecture=config.architecture,
            memory_size=config.memory_size,
            timeout=config.timeout,
            log_level=config.log_level,
            log_retention_days=config.log_retention_days,
            max_event_age_seconds=config.max_event_age_seconds,
            kms_key_arn=storage.kms_key_arn,
            alarm_topic_arn=config.alarm_topic_arn,
            tags=tags,
        ),
    )

    ObjectCreatedTrigger(
        f"{config.name_prefix}-object-created",
        ObjectCreatedTriggerArgs(
            bucket_id=storage.bucket.id,
            bucket_arn=context.bucket_arn(bucket),
            account_id=context.account_id,
            function_name=processor.function_name,
            function_arn=processor.function_arn,
            key_prefix=config.key_prefix,
            key_suffix=config.key_suffix,
        ),
    )

    outputs: dict[str, object] = {
        "bucketName": storage.bucket_name,
        "bucketArn": storage.bucket_arn,
        "functionName": processor.function_name,
        "functionArn": processor.function_arn,
        "roleArn": processor.role_arn,
        "dlqUrl": processor.dlq_url,
        "logGroupName": processor.log_group_name,
        "region": config.region,
        "testCommand": test_command(config, bucket, log_group_name),
    }
    if storage.kms_key_arn is not None:
        outputs["kmsKeyArn"] = storage.kms_key_arn
    return outputs


def test_command(config: StackConfig, bucket: str, log_group_name: str) -> str:
    """Uploads an object the notification filters accept, then tails the function's logs."""
    key = f"{config.key_prefix or ''}{SMOKE_TEST_KEY}{config.key_suffix or '.txt'}"
    # docs/stack.md has users `eval` this: every value from config is shell-quoted.
    uri = shlex.quote(f"s3://{bucket}/{key}")
    region = shlex.quote(config.region)
    return (
        f"echo hello | aws s3 cp - {uri} --region {region} && "
        f"aws logs tail {shlex.quote(log_group_name)} --since 5m --follow --region {region}"
    )
