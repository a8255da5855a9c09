"""S3 scenarios, one bucket each; the bucket's name says what it proves (see test_s3.py)."""

import json

import pulumi_aws as aws

ALL_BLOCKED = {
    "block_public_acls": True,
    "block_public_policy": True,
    "ignore_public_acls": True,
    "restrict_public_buckets": True,
}


def locked_down(name: str, bucket, *, versioning=True, encryption="AES256", access_block=None):
    """The settings every compliant bucket needs, linked through `bucket.id`."""
    if versioning:
        aws.s3.BucketVersioning(
            f"{name}-versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"}
        )
    if encryption:
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-sse",
            bucket=bucket.id,
            rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": encryption}}],
        )
    aws.s3.BucketPublicAccessBlock(f"{name}-pab", bucket=bucket.id, **(access_block or ALL_BLOCKED))


def tls_only(name: str, bucket) -> None:
    aws.s3.BucketPolicy(
        f"{name}-tls",
        bucket=bucket.id,
        policy=bucket.arn.apply(
            lambda arn: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [arn, f"{arn}/*"],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                }
            )
        ),
    )


# Compliant: v7 types, KMS encryption with a key ARN, TLS-only policy.
key = aws.kms.Key("bucket-key", enable_key_rotation=True)
good = aws.s3.Bucket("good")
aws.s3.BucketVersioning(
    "good-versioning", bucket=good.id, versioning_configuration={"status": "Enabled"}
)
aws.s3.BucketServerSideEncryptionConfiguration(
    "good-sse",
    bucket=good.id,
    rules=[
        {
            "apply_server_side_encryption_by_default": {
                "sse_algorithm": "aws:kms",
                "kms_master_key_id": key.arn,
            },
            "bucket_key_enabled": True,
        }
    ],
)
aws.s3.BucketPublicAccessBlock("good-pab", bucket=good.id, **ALL_BLOCKED)
tls_only("good", good)

# Compliant: the deprecated V2 tokens are judged like the v7 ones.
legacy = aws.s3.BucketV2("legacy-v2")
aws.s3.BucketVersioningV2(
    "legacy-v2-versioning", bucket=legacy.id, versioning_configuration={"status": "Enabled"}
)
aws.s3.BucketServerSideEncryptionConfigurationV2(
    "legacy-v2-sse",
    bucket=legacy.id,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms:dsse"}}],
)
aws.s3.BucketPublicAccessBlock("legacy-v2-pab", bucket=legacy.id, **ALL_BLOCKED)
tls_only("legacy-v2", legacy)

# Compliant: settings linked by the bucket's literal name instead of an output.
named = aws.s3.Bucket("literal-name", bucket="policy-tests-literal-name")
aws.s3.BucketVersioning(
    "literal-name-versioning",
    bucket="policy-tests-literal-name",
    versioning_configuration={"status": "Enabled"},
)
aws.s3.BucketServerSideEncryptionConfiguration(
    "literal-name-sse",
    bucket="policy-tests-literal-name",
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
)
aws.s3.BucketPublicAccessBlock(
    "literal-name-pab", bucket="policy-tests-literal-name", **ALL_BLOCKED
)
tls_only("literal-name", named)

# Violation: no settings at all; a decoy versioning resource targets `good`, not this bucket,
# so this bucket has none.
bare = aws.s3.BucketV2("bare-v2")
aws.s3.BucketVersioning(
    "decoy-versioning", bucket=good.id, versioning_configuration={"status": "Enabled"}
)

# Violation: versioning suspended (V2 setting on a v7 bucket).
suspended = aws.s3.Bucket("suspended")
aws.s3.BucketVersioningV2(
    "suspended-versioning", bucket=suspended.id, versioning_configuration={"status": "Suspended"}
)
locked_down("suspended", suspended, versioning=False)
tls_only("suspended", suspended)

# Violation: one access-block flag false.
flag_off = aws.s3.Bucket("one-flag-off")
locked_down(
    "one-flag-off", flag_off, access_block={**ALL_BLOCKED, "restrict_public_buckets": False}
)
tls_only("one-flag-off", flag_off)

# Violation: a bucket policy letting anyone read; the narrowed statement next to it is fine.
public_policy = aws.s3.Bucket("public-policy")
locked_down("public-policy", public_policy)
aws.s3.BucketPolicy(
    "public-policy-grant",
    bucket=public_policy.id,
    policy=public_policy.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "CloudFrontOnly",
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudfront.amazonaws.com"},
                        "Action": "s3:GetObject",
                        "Resource": f"{arn}/*",
                        "Condition": {
                            "StringEquals": {
                                "aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1"
                            }
                        },
                    },
                    {
                        "Sid": "AnyoneNarrowed",
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"{arn}/*",
                        "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123def4"}},
                    },
                    {
                        "Sid": "Everyone",
                        "Effect": "Allow",
                        "Principal": {"AWS": ["*"]},
                        "Action": "s3:GetObject",
                        "Resource": f"{arn}/*",
                    },
                ],
            }
        )
    ),
)

# Violation: Principal '*' "narrowed" by a condition that matches every account.
fake_condition = aws.s3.Bucket("wildcard-condition")
locked_down("wildcard-condition", fake_condition)
aws.s3.BucketPolicy(
    "wildcard-condition-grant",
    bucket=fake_condition.id,
    policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::policy-tests-wildcard/*",
                    "Condition": {"StringLike": {"aws:SourceAccount": "*"}},
                }
            ],
        }
    ),
)

# Violation: a public canned ACL through a separate BucketAclV2, and one inline on a bucket.
acl_bucket = aws.s3.Bucket("public-acl")
locked_down("public-acl", acl_bucket)
aws.s3.BucketAclV2("public-acl-grant", bucket=acl_bucket.id, acl="public-read")
inline_acl = aws.s3.Bucket("inline-acl", acl="authenticated-read")
locked_down("inline-acl", inline_acl)

# Violation: no encryption resource; and an unsupported algorithm on another bucket.
unencrypted = aws.s3.Bucket("unencrypted")
locked_down("unencrypted", unencrypted, encryption=None)
aws.s3.BucketServerSideEncryptionConfiguration(
    "bad-sse",
    bucket=unencrypted.id,
    rules=[{"bucket_key_enabled": True}],
)
