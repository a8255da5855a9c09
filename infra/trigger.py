"""Wires the bucket to the function: S3 may invoke it (only for this bucket, only from this
account), and the bucket notifies it of every created object matching the filters."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

OBJECT_CREATED_EVENTS = ["s3:ObjectCreated:*"]


@dataclass(frozen=True)
class ObjectCreatedTriggerArgs:
    bucket_id: pulumi.Input[str]
    bucket_arn: str
    account_id: str
    function_name: pulumi.Input[str]
    function_arn: pulumi.Input[str]
    key_prefix: str | None
    key_suffix: str | None


class ObjectCreatedTrigger(pulumi.ComponentResource):
    """lambda.Permission for s3.amazonaws.com scoped by source ARN and account, then the
    bucket notification (which S3 validates against that permission)."""

    permission: aws.lambda_.Permission
    notification: aws.s3.BucketNotification

    def __init__(
        self, name: str, args: ObjectCreatedTriggerArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("serverless-s3-lambda:trigger:ObjectCreatedTrigger", name, None, opts)

        self.permission = aws.lambda_.Permission(
            f"{name}-allow-s3",
            action="lambda:InvokeFunction",
            function=args.function_name,
            principal="s3.amazonaws.com",
            source_arn=args.bucket_arn,
            # Bucket names are global: without the account, a bucket of the same name in
            # another account (after this one is deleted) could invoke the function.
            source_account=args.account_id,
            opts=pulumi.ResourceOptions(parent=self),
        )

        target: dict[str, pulumi.Input] = {
            "lambda_function_arn": args.function_arn,
            "events": OBJECT_CREATED_EVENTS,
        }
        if args.key_prefix is not None:
            target["filter_prefix"] = args.key_prefix
        if args.key_suffix is not None:
            target["filter_suffix"] = args.key_suffix
        self.notification = aws.s3.BucketNotification(
            f"{name}-notification",
            bucket=args.bucket_id,
            lambda_functions=[target],
            opts=pulumi.ResourceOptions(parent=self, depends_on=[self.permission]),
        )
        self.register_outputs({})
