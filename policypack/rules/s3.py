"""S3 buckets: versioning and default encryption.

Bucket settings are separate resources in pulumi-aws v7 (and the deprecated V2 tokens still
exist), so these are stack policies: each setting is judged on its own content and each bucket by
the settings proved linked to it (`s3_settings`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import Severity

from .framework import Finding, Meta, Option, Stack
from .s3_settings import (
    ENCRYPTION_TYPES,
    VERSIONING_TYPES,
    SettingKind,
    encryption_judge,
    judge_settings,
    object_lock_enabled,
    versioning_judge,
)


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, got {value!r}")
    return value


ENCRYPTION_ALGORITHMS = ("AES256", "aws:kms", "aws:kms:dsse")
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
VERSIONING = Meta(
    name="s3-bucket-versioning-enabled",
    description="Every S3 bucket has a BucketVersioning resource linked to it with status Enabled.",
    severity=Severity.MEDIUM,
    remediation="Declare aws.s3.BucketVersioning(bucket=<bucket>.id, "
    "versioning_configuration={'status': 'Enabled'}).",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
)
ENCRYPTION = Meta(
    name="s3-bucket-encryption-enabled",
    description="Every S3 bucket has a default-encryption resource linked to it using AES256, "
    "aws:kms or aws:kms:dsse (KMS only when requireKms is set).",
    severity=Severity.HIGH,
    remediation="Declare aws.s3.BucketServerSideEncryptionConfiguration(bucket=<bucket>.id, "
    "rules=[{'apply_server_side_encryption_by_default': {'sse_algorithm': 'aws:kms', "
    "'kms_master_key_id': <key>.arn}}]).",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
    options=(
        Option(
            name="requireKms",
            schema={"type": "boolean", "description": "Accept only aws:kms and aws:kms:dsse."},
            default=False,
            parse=_boolean,
        ),
    ),
)


VERSIONING_KIND = SettingKind(
    types=VERSIONING_TYPES,
    noun="BucketVersioning",
    wanted="with status Enabled",
    fix="Set versioning_configuration={'status': 'Enabled'} (or create the bucket with "
    "object_lock_enabled=True, which keeps versioning on).",
    judge=versioning_judge,
    inherent=object_lock_enabled,
    inherent_what="Object Lock (which keeps versioning on)",
)


def check_versioning(stack: Stack, _config: dict[str, Any]) -> Iterator[Finding]:
    yield from judge_settings(stack, VERSIONING_KIND)


def check_encryption(stack: Stack, config: dict[str, Any]) -> Iterator[Finding]:
    allowed = KMS_ALGORITHMS if config["requireKms"] else ENCRYPTION_ALGORITHMS
    kind = SettingKind(
        types=ENCRYPTION_TYPES,
        noun="BucketServerSideEncryptionConfiguration",
        wanted=f"using {' or '.join(allowed)}",
        fix="Set apply_server_side_encryption_by_default.sse_algorithm to one of "
        f"{', '.join(allowed)}.",
        judge=encryption_judge(allowed),
    )
    yield from judge_settings(stack, kind)
