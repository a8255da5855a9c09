"""IAM documents of the stack, as plain dicts (values may be Outputs), built in one place.

Every Allow statement names exact actions on exact ARNs: no wildcard actions, no `*`
resource, no NotAction/NotResource. The processor may not create log groups (the stack owns
its log group) and may only read objects of its own bucket.
"""

from __future__ import annotations

from typing import Any

import pulumi

POLICY_VERSION = "2012-10-17"

PolicyDocument = dict[str, Any]


def lambda_trust_policy() -> PolicyDocument:
    """Lets the Lambda service (and nothing else) assume the execution role."""
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Sid": "LambdaAssumeRole",
                "Effect": "Allow",
                "Principal": {"Service": "lambda.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


def processor_policy(
    *, bucket_arn: str, objects_arn: str, log_streams_arn: str, dlq_arn: str
) -> PolicyDocument:
    """The execution role's permissions: read this bucket's objects, write this log group,
    send failed events to this DLQ. Every ARN is known before anything is created."""
    statements: list[dict[str, Any]] = [
        {
            "Sid": "ReadUploadedObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetObjectVersion"],
            "Resource": objects_arn,
        },
        {
            # Without s3:ListBucket S3 answers 403 instead of 404 for a deleted object, and
            # the handler would dead-letter an event it should skip.
            "Sid": "TellDeletedObjectsFromDeniedOnes",
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": bucket_arn,
        },
        {
            "Sid": "WriteOwnLogGroup",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": log_streams_arn,
        },
        {
            "Sid": "SendFailedEventsToDlq",
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Resource": dlq_arn,
        },
    ]
    return {"Version": POLICY_VERSION, "Statement": statements}


def kms_decrypt_policy(kms_key_arn: pulumi.Input[str]) -> PolicyDocument:
    """Decrypt with the bucket's key only. A document of its own: the key's ARN is unknown
    until the key exists, and it should not hide the other statements from a first preview."""
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Sid": "DecryptUploadedObjects",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": kms_key_arn,
            }
        ],
    }


def tls_only_bucket_policy(bucket_arn: str, objects_arn: str) -> PolicyDocument:
    """Denies every request to the bucket that is not made over TLS 1.2 or later."""
    resources = [bucket_arn, objects_arn]
    return {
        "Version": POLICY_VERSION,
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


def tls_only_queue_policy(queue_arn: str) -> PolicyDocument:
    """Denies every request to the dead-letter queue that is not made over TLS."""
    return {
        "Version": POLICY_VERSION,
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sqs:*",
                "Resource": queue_arn,
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
