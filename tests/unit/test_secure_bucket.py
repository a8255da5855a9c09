"""The secure bucket: versioning, encryption, public-access block, ownership, TLS policy."""

from __future__ import annotations

from tests.unit.harness import ACCOUNT, REGION, Program

BUCKET = f"serverless-s3-lambda-dev-{ACCOUNT}-{REGION}"
STAGING_BUCKET = f"serverless-s3-lambda-staging-{ACCOUNT}-{REGION}"
COMPONENT = "serverless-s3-lambda:storage:SecureBucket"


def test_bucket_is_a_v7_bucket_named_for_environment_account_and_region(
    default_program: Program,
) -> None:
    bucket = default_program.one("aws:s3/bucket:Bucket")
    assert bucket.inputs["bucket"] == BUCKET
    assert bucket.inputs["forceDestroy"] is False
    # Settings live in their own resources, never in the bucket's deprecated inline inputs.
    for inline in ("acl", "policy", "versioning", "serverSideEncryptionConfiguration", "grants"):
        assert inline not in bucket.inputs
    assert all("V2" not in r.type for r in default_program.resources)


def test_every_bucket_setting_targets_the_bucket_and_belongs_to_the_component(
    default_program: Program,
) -> None:
    component = default_program.one(COMPONENT)
    settings = [r for r in default_program.resources if r.type.startswith("aws:s3/bucket")]
    assert {r.type for r in settings} == {
        "aws:s3/bucket:Bucket",
        "aws:s3/bucketVersioning:BucketVersioning",
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
        "aws:s3/bucketPolicy:BucketPolicy",
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        "aws:s3/bucketNotification:BucketNotification",
    }
    bucket_urn = default_program.one("aws:s3/bucket:Bucket").urn
    for setting in settings:
        if setting.type == "aws:s3/bucket:Bucket":
            assert setting.parent == component.urn
            continue
        assert setting.inputs["bucket"] == BUCKET, setting.type
        assert bucket_urn in setting.dependencies, setting.type
        if setting.type != "aws:s3/bucketNotification:BucketNotification":
            assert setting.parent == component.urn, setting.type


def test_versioning_is_enabled(default_program: Program) -> None:
    versioning = default_program.one("aws:s3/bucketVersioning:BucketVersioning")
    assert versioning.inputs["versioningConfiguration"] == {"status": "Enabled"}


def test_default_encryption_is_sse_s3(default_program: Program) -> None:
    encryption = default_program.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    assert encryption.inputs["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"},
            "bucketKeyEnabled": False,
        }
    ]
    assert default_program.of_type("aws:kms/key:Key") == []


def test_kms_encryption_uses_a_rotating_customer_managed_key(kms_program: Program) -> None:
    key = kms_program.one("aws:kms/key:Key")
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30
    encryption = kms_program.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
    )
    assert encryption.inputs["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {
                "sseAlgorithm": "aws:kms",
                "kmsMasterKeyId": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef",
            },
            "bucketKeyEnabled": True,
        }
    ]
    alias = kms_program.one("aws:kms/alias:Alias")
    assert alias.inputs["name"] == f"alias/{STAGING_BUCKET}"
    assert alias.inputs["targetKeyId"] == "1234abcd-12ab-34cd-56ef"


def test_public_access_is_blocked_four_ways(default_program: Program) -> None:
    block = default_program.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    for flag in (
        "blockPublicAcls",
        "blockPublicPolicy",
        "ignorePublicAcls",
        "restrictPublicBuckets",
    ):
        assert block.inputs[flag] is True, flag


def test_ownership_is_bucket_owner_enforced(default_program: Program) -> None:
    ownership = default_program.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls")
    assert ownership.inputs["rule"] == {"objectOwnership": "BucketOwnerEnforced"}


def test_bucket_policy_denies_requests_without_tls(default_program: Program) -> None:
    policy = default_program.one("aws:s3/bucketPolicy:BucketPolicy")
    resources = [f"arn:aws:s3:::{BUCKET}", f"arn:aws:s3:::{BUCKET}/*"]
    assert policy.policy() == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": resources,
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
            {
                "Sid": "DenyOutdatedTls",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": resources,
                "Condition": {"NumericLessThan": {"s3:TlsVersion": "1.2"}},
            },
        ],
    }


def test_bucket_policy_is_ordered_after_the_public_access_block(default_program: Program) -> None:
    policy = default_program.one("aws:s3/bucketPolicy:BucketPolicy")
    block = default_program.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    assert block.urn in policy.dependencies


def test_old_versions_and_abandoned_uploads_expire(default_program: Program) -> None:
    lifecycle = default_program.one(
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
    )
    [rule] = lifecycle.inputs["rules"]
    assert rule["status"] == "Enabled"
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 30}
    assert rule["expiration"] == {"expiredObjectDeleteMarker": True}
    # Current objects are never expired by the stack.
    assert "days" not in rule["expiration"]
    assert rule["abortIncompleteMultipartUpload"] == {"daysAfterInitiation": 7}


def test_force_destroy_follows_config(dev_file_program: Program) -> None:
    assert dev_file_program.one("aws:s3/bucket:Bucket").inputs["forceDestroy"] is True


def test_noncurrent_version_expiry_follows_config(kms_program: Program) -> None:
    lifecycle = kms_program.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    [rule] = lifecycle.inputs["rules"]
    assert rule["noncurrentVersionExpiration"] == {"noncurrentDays": 7}
