"""Values that stay unknown in a first preview (`fresh`): each resource's name says what it
proves (see test_unknowns.py). Outputs of other resources feed the inputs under test."""

import json

import pulumi
import pulumi_aws as aws

ALL_BLOCKED = {
    "block_public_acls": True,
    "block_public_policy": True,
    "ignore_public_acls": True,
    "restrict_public_buckets": True,
}
key = aws.kms.Key("key", enable_key_rotation=True)
bucket = aws.s3.Bucket("bucket")
# Linked through property dependencies although the bucket's id is unknown: compliant, and a KMS
# key given as an unknown ARN is compliant too.
aws.s3.BucketServerSideEncryptionConfiguration(
    "bucket-sse",
    bucket=bucket.id,
    rules=[
        {
            "apply_server_side_encryption_by_default": {
                "sse_algorithm": "aws:kms",
                "kms_master_key_id": key.arn,
            }
        }
    ],
)
aws.s3.BucketPublicAccessBlock("bucket-pab", bucket=bucket.id, **ALL_BLOCKED)
# The versioning status depends on an output: cannot be verified.
aws.s3.BucketVersioning(
    "bucket-versioning",
    bucket=bucket.id,
    versioning_configuration={"status": key.arn.apply(lambda _: "Enabled")},
)
# A bucket policy built from the bucket's ARN: its statements cannot be verified.
aws.s3.BucketPolicy(
    "bucket-policy",
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
role = aws.iam.Role(
    "role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
    ),
)
# An IAM document rendered from an output: cannot be verified.
aws.iam.RolePolicy(
    "read-bucket",
    role=role.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{arn}/*"}
                ],
            }
        )
    ),
)
# A tag value from an output: cannot be verified.
aws.sqs.Queue("queue", tags={"Owner": key.key_id})
# A permission whose source ARN is the bucket's (unknown) ARN: nothing on the wire tells it from
# a value computed from that ARN (see `widened-source` below), so it cannot be verified.
fn = aws.lambda_.Function(
    "fn",
    role=role.arn,
    runtime="python3.13",
    handler="index.handler",
    code=pulumi.AssetArchive(
        {"index.py": pulumi.StringAsset("def handler(e, c):\n    return None\n")}
    ),
    dead_letter_config={"target_arn": "arn:aws:sqs:us-east-1:123456789012:dlq"},
)
aws.lambda_.Permission(
    "allow-bucket",
    action="lambda:InvokeFunction",
    function=fn.name,
    principal="s3.amazonaws.com",
    source_arn=bucket.arn,
    source_account="123456789012",
)
# ACL grants built from an output: cannot be verified (an earlier pack crashed on them).
aws.s3.BucketAcl(
    "bucket-acl",
    bucket=bucket.id,
    access_control_policy={
        "owner": {"id": "owner-canonical-id"},
        "grants": key.arn.apply(
            lambda _: [
                {
                    "grantee": {"type": "CanonicalUser", "id": "owner-canonical-id"},
                    "permission": "FULL_CONTROL",
                }
            ]
        ),
    },
)
# A policy ARN from an output: whether it is AWS-managed cannot be verified.
aws.iam.RolePolicyAttachment(
    "attach-read",
    role=role.name,
    policy_arn=key.arn.apply(lambda _: "arn:aws:iam::123456789012:policy/processor-read"),
)
# A queue policy built from the bucket's ARN: unknown in a first preview, compliant once known
# (the service is pinned to the bucket, and the statement to the bucket's account).
aws.sqs.QueuePolicy(
    "queue-policy",
    queue_url="https://sqs.us-east-1.amazonaws.com/123456789012/q",
    policy=bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "s3.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": "arn:aws:sqs:us-east-1:123456789012:q",
                        "Condition": {
                            "ArnEquals": {"aws:SourceArn": arn},
                            "StringEquals": {"aws:SourceAccount": "123456789012"},
                        },
                    }
                ],
            }
        )
    ),
)
# Anyone in one organization may invoke; the organization id comes from an output.
aws.lambda_.Permission(
    "org-invoke",
    action="lambda:InvokeFunction",
    function=fn.name,
    principal="*",
    principal_org_id=key.arn.apply(lambda _: "o-a1b2c3d4e5"),
)
# The attack the rule above closes: a source ARN computed from the bucket's ARN that widens it.
aws.lambda_.Permission(
    "widened-source",
    action="lambda:InvokeFunction",
    function=fn.name,
    principal="s3.amazonaws.com",
    source_arn=bucket.arn.apply(lambda _: "arn:aws:s3:::*"),
    source_account="123456789012",
)
# An account id from an output: whether it pins the bucket owner cannot be verified.
aws.lambda_.Permission(
    "unknown-account",
    action="lambda:InvokeFunction",
    function=fn.name,
    principal="s3.amazonaws.com",
    source_arn="arn:aws:s3:::policy-tests-known-bucket",
    source_account=key.arn.apply(lambda _: "123456789012"),
)
# Compliant in a first preview too: the ARN is built from the bucket's name, known in preview.
aws.lambda_.Permission(
    "source-from-name",
    action="lambda:InvokeFunction",
    function=fn.name,
    principal="s3.amazonaws.com",
    source_arn=bucket.bucket.apply(lambda name: f"arn:aws:s3:::{name}"),
    source_account="123456789012",
)
# Account-wide sharing blocks and an endpoint service principal from outputs: compliant once known.
aws.ec2.ImageBlockPublicAccess(
    "ami-block-state", state=key.arn.apply(lambda _: "block-new-sharing")
)
aws.ebs.SnapshotBlockPublicAccess(
    "snapshot-block-state", state=key.arn.apply(lambda _: "block-all-sharing")
)
aws.ec2.VpcEndpointServiceAllowedPrinciple(
    "endpoint-principal",
    vpc_endpoint_service_id="vpce-svc-0123456789abcdef0",
    principal_arn=key.arn.apply(lambda _: "arn:aws:iam::123456789012:root"),
)
