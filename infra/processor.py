"""The object processor: the Lambda function with its log group, least-privilege role,
dead-letter queue, async-invoke policy and alarms."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from infra.config import Architecture
from infra.policies import (
    kms_decrypt_policy,
    lambda_trust_policy,
    processor_policy,
    tls_only_queue_policy,
)

RUNTIME = "python3.13"
HANDLER = "main.lambda_handler"
SERVICE_NAME = "s3-object-processor"
METRICS_NAMESPACE = "ServerlessS3Lambda"
DLQ_RETENTION_SECONDS = 14 * 24 * 60 * 60  # SQS maximum: keep failed events two weeks
ASYNC_RETRY_ATTEMPTS = 2
ALARM_PERIOD_SECONDS = 300


@dataclass(frozen=True)
class ObjectProcessorArgs:
    """Names, ARNs and settings of the processor, all known before anything is created."""

    function_name: str
    log_group_name: str
    log_streams_arn: str
    queue_name: str
    queue_arn: str
    bucket_arn: str
    objects_arn: str
    code: pulumi.Archive
    layer_arn: str
    architecture: Architecture
    memory_size: int
    timeout: int
    log_level: str
    log_retention_days: int
    max_event_age_seconds: int
    kms_key_arn: pulumi.Input[str] | None
    alarm_topic_arn: str | None
    tags: Mapping[str, str]


class ObjectProcessor(pulumi.ComponentResource):
    """Lambda function fed by S3 events; failed events land in an encrypted SQS DLQ."""

    function: aws.lambda_.Function
    role: aws.iam.Role
    dlq: aws.sqs.Queue
    log_group: aws.cloudwatch.LogGroup
    alarms: list[aws.cloudwatch.MetricAlarm]
    function_name: pulumi.Output[str]
    function_arn: pulumi.Output[str]
    role_arn: pulumi.Output[str]
    dlq_url: pulumi.Output[str]
    log_group_name: pulumi.Output[str]

    def __init__(
        self, name: str, args: ObjectProcessorArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("serverless-s3-lambda:compute:ObjectProcessor", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)

        # Created by the stack (not by Lambda on first write) so it has a retention and tags,
        # and the role needs no logs:CreateLogGroup.
        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs",
            name=args.log_group_name,
            retention_in_days=args.log_retention_days,
            tags=tags,
            opts=child,
        )

        self.dlq = aws.sqs.Queue(
            f"{name}-dlq",
            name=args.queue_name,
            message_retention_seconds=DLQ_RETENTION_SECONDS,
            sqs_managed_sse_enabled=True,
            tags=tags,
            opts=child,
        )

        aws.sqs.QueuePolicy(
            f"{name}-dlq-tls-only",
            queue_url=self.dlq.url,
            policy=pulumi.Output.json_dumps(tls_only_queue_policy(args.queue_arn)),
            opts=child,
        )

        self.role = aws.iam.Role(
            f"{name}-role",
            name=args.function_name,
            description=f"Execution role of the {args.function_name} Lambda function",
            assume_role_policy=pulumi.Output.json_dumps(lambda_trust_policy()),
            tags=tags,
            opts=child,
        )
        role_policies = [
            aws.iam.RolePolicy(
                f"{name}-permissions",
                name="least-privilege",
                role=self.role.id,
                policy=pulumi.Output.json_dumps(
                    processor_policy(
                        bucket_arn=args.bucket_arn,
                        objects_arn=args.objects_arn,
                        log_streams_arn=args.log_streams_arn,
                        dlq_arn=args.queue_arn,
                    )
                ),
                opts=child,
            )
        ]
        if args.kms_key_arn is not None:
            role_policies.append(
                aws.iam.RolePolicy(
                    f"{name}-decrypt",
                    name="decrypt-bucket-key",
                    role=self.role.id,
                    policy=pulumi.Output.json_dumps(kms_decrypt_policy(args.kms_key_arn)),
                    opts=child,
                )
            )

        self.function = aws.lambda_.Function(
            name,
            name=args.function_name,
            description="Processes every object created in the upload bucket",
            role=self.role.arn,
            runtime=RUNTIME,
            handler=HANDLER,
            code=args.code,
            architectures=[args.architecture],
            memory_size=args.memory_size,
            timeout=args.timeout,
            layers=[args.layer_arn],
            environment={
                "variables": {
                    "POWERTOOLS_SERVICE_NAME": SERVICE_NAME,
                    "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
                    "POWERTOOLS_LOG_LEVEL": args.log_level,
                }
            },
            # With JSON logs Lambda sets AWS_LAMBDA_LOG_LEVEL (default INFO), which Powertools
            # ranks above POWERTOOLS_LOG_LEVEL: keep both at the configured level.
            logging_config={
                "log_format": "JSON",
                "log_group": self.log_group.name,
                # DEBUG and INFO have the same names in Python logging and Lambda's filter.
                "application_log_level": args.log_level,
            },
            tags=tags,
            # The log group and the permissions exist before the first invocation.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.log_group, *role_policies]),
        )

        aws.lambda_.FunctionEventInvokeConfig(
            f"{name}-async",
            function_name=self.function.name,
            maximum_retry_attempts=ASYNC_RETRY_ATTEMPTS,
            maximum_event_age_in_seconds=args.max_event_age_seconds,
            # The computed ARN (not dlq.arn) keeps the destination known at first preview.
            destination_config={"on_failure": {"destination": args.queue_arn}},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.dlq]),
        )

        self.alarms = self._alarms(name, args, tags)

        self.function_name = self.function.name
        self.function_arn = self.function.arn
        self.role_arn = self.role.arn
        self.dlq_url = self.dlq.url
        self.log_group_name = self.log_group.name
        self.register_outputs(
            {
                "function_name": self.function_name,
                "function_arn": self.function_arn,
                "role_arn": self.role_arn,
                "dlq_url": self.dlq_url,
                "log_group_name": self.log_group_name,
            }
        )

    def _alarms(
        self, name: str, args: ObjectProcessorArgs, tags: dict[str, str]
    ) -> list[aws.cloudwatch.MetricAlarm]:
        """Alarms on every way an event can fail or be lost, wired to the topic if set."""
        actions = [args.alarm_topic_arn] if args.alarm_topic_arn else []
        function_dimensions = {"FunctionName": args.function_name}
        specs = [
            (
                "errors",
                "AWS/Lambda",
                "Errors",
                "Sum",
                function_dimensions,
                f"{args.function_name} raised an error processing an S3 event",
            ),
            (
                "destination-failures",
                "AWS/Lambda",
                "DestinationDeliveryFailures",
                "Sum",
                function_dimensions,
                f"{args.function_name} could not deliver a failed event to its DLQ: events lost",
            ),
            (
                "dlq-depth",
                "AWS/SQS",
                "ApproximateNumberOfMessagesVisible",
                "Maximum",
                {"QueueName": args.queue_name},
                f"Failed S3 events are waiting in {args.queue_name}",
            ),
        ]
        return [
            aws.cloudwatch.MetricAlarm(
                f"{name}-{suffix}",
                name=f"{args.function_name}-{suffix}",
                alarm_description=description,
                namespace=namespace,
                metric_name=metric,
                statistic=statistic,
                dimensions=dimensions,
                period=ALARM_PERIOD_SECONDS,
                evaluation_periods=1,
                threshold=1,
                comparison_operator="GreaterThanOrEqualToThreshold",
                treat_missing_data="notBreaching",
                alarm_actions=actions,
                ok_actions=actions,
                tags=tags,
                opts=pulumi.ResourceOptions(parent=self, depends_on=[self.function, self.dlq]),
            )
            for suffix, namespace, metric, statistic, dimensions, description in specs
        ]
