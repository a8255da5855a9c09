"""A private, versioned, encrypted S3 bucket that only accepts TLS requests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from infra.config import EncryptionMode
from infra.policies import tls_only_bucket_policy

KMS_KEY_DELETION_WINDOW_DAYS = 30
ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS = 7


@dataclass(frozen=True)
class SecureBucketArgs:
    """What the bucket needs to know: its exact name and ARNs, encryption and tags."""

    bucket_name: str
    bucket_arn: str
    objects_arn: str
    encryption: EncryptionMode
    noncurrent_version_expiration_days: int
    force_destroy: bool
    tags: Mapping[str, str]


class SecureBucket(pulumi.ComponentResource):
    """Bucket, versioning Enabled, default encryption (SSE-S3, or SSE-KMS with a rotating
    customer-managed key), all four public-access blocks, BucketOwnerEnforced ownership, a
    TLS-only bucket policy, and a lifecycle that expires old versions."""

    bucket: aws.s3.Bucket
    kms_key: aws.kms.Key | None
    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    kms_key_arn: pulumi.Output[str] | None

    def __init__(
        self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("serverless-s3-lambda:storage:SecureBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        tags = dict(args.tags)

        self.kms_key = None
        if args.encryption == "aws:kms":
            self.kms_key = aws.kms.Key(
                f"{name}-key",
                description=f"Encrypts objects in s3://{args.bucket_name}",
                enable_key_rotation=True,
                deletion_window_in_days=KMS_KEY_DELETION_WINDOW_DAYS,
                tags=tags,
                opts=child,
            )
            aws.kms.Alias(
                f"{name}-key-alias",
                name=f"alias/{args.bucket_name}",
                target_key_id=self.kms_key.key_id,
                opts=child,
            )

        self.bucket = aws.s3.Bucket(
            name,
            bucket=args.bucket_name,
            force_destroy=args.force_destroy,
            tags=tags,
            opts=child,
        )
        # The settings name the bucket by its name output, known in every preview (its id is
        # unknown before the first create), so the policy pack can prove each link.
        bucket_id = self.bucket.bucket

        aws.s3.BucketVersioning(
            f"{name}-versioning",
            bucket=bucket_id,
            versioning_configuration={"status": "Enabled"},
            opts=child,
        )

        encryption_default: dict[str, pulumi.Input[str]] = {"sse_algorithm": args.encryption}
        if self.kms_key is not None:
            encryption_default["kms_master_key_id"] = self.kms_key.arn
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption",
            bucket=bucket_id,
            rules=[
                {
                    "apply_server_side_encryption_by_default": encryption_default,
                    # S3 Bucket Keys cut KMS requests (and cost) by orders of magnitude.
                    "bucket_key_enabled": self.kms_key is not None,
                }
            ],
            opts=child,
        )

        access_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access-block",
            bucket=bucket_id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=child,
        )

        aws.s3.BucketOwnershipControls(
            f"{name}-ownership",
            bucket=bucket_id,
            rule={"object_ownership": "BucketOwnerEnforced"},
            opts=child,
        )

        aws.s3.BucketPolicy(
            f"{name}-tls-only",
            bucket=bucket_id,
            policy=pulumi.Output.json_dumps(
                tls_only_bucket_policy(args.bucket_arn, args.objects_arn)
            ),
            opts=pulumi.ResourceOptions(parent=self, depends_on=[access_block]),
        )

        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle",
            bucket=bucket_id,
            rules=[
                {
                    "id": "expire-noncurrent-versions",
                    "status": "Enabled",
                    "filter": {},
                    "noncurrent_version_expiration": {
                        "noncurrent_days": args.noncurrent_version_expiration_days
                    },
                    # Removes delete markers once no version is left behind them.
                    "expiration": {"expired_object_delete_marker": True},
                    "abort_incomplete_multipart_upload": {
                        "days_after_initiation": ABORT_INCOMPLETE_UPLOADS_AFTER_DAYS
                    },
                }
            ],
            opts=child,
        )

        self.bucket_name = self.bucket.bucket
        self.bucket_arn = self.bucket.arn
        self.kms_key_arn = self.kms_key.arn if self.kms_key is not None else None
        outputs: dict[str, pulumi.Input[str]] = {
            "bucket_name": self.bucket_name,
            "bucket_arn": self.bucket_arn,
        }
        if self.kms_key_arn is not None:
            outputs["kms_key_arn"] = self.kms_key_arn
        self.register_outputs(outputs)
