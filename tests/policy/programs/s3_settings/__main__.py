"""S3 settings judged on their own content and linked only when the link is proved; each
resource's name says what it proves (see test_s3_settings.py)."""

import pulumi
import pulumi_aws as aws

ALL_BLOCKED = {
    "block_public_acls": True,
    "block_public_policy": True,
    "ignore_public_acls": True,
    "restrict_public_buckets": True,
}
# A value known in a default preview, unknown in a first one (`--fresh`).
later = aws.sqs.Queue("later-known")


def versioning(name: str, bucket, status: str = "Enabled") -> None:
    aws.s3.BucketVersioning(name, bucket=bucket, versioning_configuration={"status": status})


def encryption(name: str, bucket, algorithm: str = "AES256") -> None:
    aws.s3.BucketServerSideEncryptionConfiguration(
        name,
        bucket=bucket,
        rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": algorithm}}],
    )


def access_block(name: str, bucket, **flags: bool) -> None:
    aws.s3.BucketPublicAccessBlock(name, bucket=bucket, **{**ALL_BLOCKED, **flags})


def settings(name: str, bucket) -> None:
    versioning(f"{name}-versioning", bucket)
    encryption(f"{name}-sse", bucket)
    access_block(f"{name}-pab", bucket)


# Compliant in both modes: linked by the bucket's name, known in every preview.
by_name = aws.s3.Bucket("by-name")
settings("by-name", by_name.bucket)
# Compliant once ids are known; in a first preview `bucket=b.id` cannot be told from a value
# computed from it: "cannot verify", never a pass.
by_id = aws.s3.Bucket("by-id")
settings("by-id", by_id.id)

# A later setting switching protection off next to a good one: each bad one is reported on
# itself, the bucket keeps its good settings.
switched = aws.s3.Bucket("switched")
settings("switched", switched.bucket)
versioning("switched-off-versioning", switched.bucket, "Suspended")
encryption("switched-off-sse", switched.bucket, "AES128")
access_block("switched-off-pab", switched.bucket, ignore_public_acls=False)

# Settings aimed at a bucket outside the stack, by literal name: judged on their content.
versioning("outside-suspended", "existing-bucket-elsewhere", "Suspended")
encryption("outside-no-algorithm", "existing-bucket-elsewhere", "none")
access_block("outside-pab-off", "existing-bucket-elsewhere", block_public_policy=False)
settings("outside-good", "existing-bucket-elsewhere")

# Settings whose bucket is unknown in a first preview: judged on their content anyway.
unknown_target = later.arn.apply(lambda _: "existing-bucket-elsewhere")
versioning("unknown-target-suspended", unknown_target, "Suspended")
access_block("unknown-target-pab-off", unknown_target, restrict_public_buckets=False)

# Decoys: settings that depend on a bucket but name another one. Known in a default preview (no
# link: mandatory); unknown in a first preview (cannot verify, never a silent pass).
decoy = aws.s3.Bucket("decoy-apply")
settings("decoy-apply", decoy.id.apply(lambda _: "policy-tests-somewhere-else"))
decoy_all = aws.s3.Bucket("decoy-all")
settings(
    "decoy-all",
    pulumi.Output.all(decoy_all.id, later.arn).apply(lambda _: "policy-tests-somewhere-else"),
)

# Object Lock keeps versioning on (S3 enables it and refuses to suspend it): no BucketVersioning
# needed. The deprecated inline configuration does the same.
locked = aws.s3.Bucket("object-locked", object_lock_enabled=True)
encryption("object-locked-sse", locked.bucket)
access_block("object-locked-pab", locked.bucket)
locked_inline = aws.s3.Bucket(
    "object-locked-inline", object_lock_configuration={"object_lock_enabled": "Enabled"}
)
encryption("object-locked-inline-sse", locked_inline.bucket)
access_block("object-locked-inline-pab", locked_inline.bucket)
# Object Lock from an output: satisfied once known, "cannot verify" in a first preview.
lock_later = aws.s3.BucketV2(
    "object-lock-later", object_lock_enabled=later.arn.apply(lambda _: True)
)
encryption("object-lock-later-sse", lock_later.bucket)
access_block("object-lock-later-pab", lock_later.bucket)
unlocked = aws.s3.Bucket("object-lock-off", object_lock_enabled=False)
encryption("object-lock-off-sse", unlocked.bucket)
access_block("object-lock-off-pab", unlocked.bucket)

# Account-wide blocks: a later one switching a flag off is reported, the good one is not.
aws.s3.AccountPublicAccessBlock("account-block", **ALL_BLOCKED)
aws.s3.AccountPublicAccessBlock(
    "account-block-later-off", **{**ALL_BLOCKED, "ignore_public_acls": False}
)
