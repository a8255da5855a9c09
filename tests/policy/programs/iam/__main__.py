"""IAM scenarios, one resource each; the resource's name says what it proves (see test_iam.py)."""

import json

import pulumi_aws as aws

ACCOUNT = "123456789012"
REGION = "us-east-1"
ASSUME_LAMBDA = json.dumps(
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
)


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(actions, resources) -> dict:
    return {"Effect": "Allow", "Action": actions, "Resource": resources}


role = aws.iam.Role("role", assume_role_policy=ASSUME_LAMBDA)
user = aws.iam.User("user")
group = aws.iam.Group("group")

# Compliant: exactly the project's pattern of resource-scoped ARNs.
aws.iam.RolePolicy(
    "scoped",
    role=role.id,
    policy=document(
        allow(
            ["logs:CreateLogStream", "logs:PutLogEvents"],
            f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/processor:*",
        ),
        allow("s3:GetObject", "arn:aws:s3:::uploads-bucket/*"),
        allow("sqs:SendMessage", f"arn:aws:sqs:{REGION}:{ACCOUNT}:processor-dlq"),
        allow(
            "kms:Decrypt",
            f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ),
        # Deny statements only restrict, so their wildcards are fine.
        {
            "Effect": "Deny",
            "Action": "s3:*",
            "Resource": "*",
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    ),
)
# Compliant: actions that AWS defines without resource types may use Resource "*".
aws.iam.RolePolicy(
    "star-only-actions",
    role=role.id,
    policy=document(
        allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "s3:ListAllMyBuckets"], "*")
    ),
)
# Violation (scoped): logs on every log group of every region and account.
aws.iam.RolePolicy(
    "logs-everywhere",
    role=role.id,
    policy=document(allow(["logs:CreateLogStream", "logs:PutLogEvents"], "arn:aws:logs:*:*:*")),
)
# Violation (scoped): every bucket, given as a managed policy.
aws.iam.Policy("all-buckets", policy=document(allow("s3:GetObject", "arn:aws:s3:::*")))
# Violation (scoped): every DynamoDB table, on a user.
aws.iam.UserPolicy(
    "all-tables",
    user=user.name,
    policy=document(allow("dynamodb:GetItem", "arn:aws:dynamodb:*:*:table/*")),
)
# Violation (scoped): every table of one account and region (a whole resource type).
aws.iam.GroupPolicy(
    "table-type",
    group=group.name,
    policy=document(allow("dynamodb:GetItem", f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/*")),
)
# Violation (scoped): '*' with an action that supports resource-level permissions.
aws.iam.RolePolicy(
    "star-mixed",
    role=role.id,
    policy=document(allow(["xray:PutTraceSegments", "s3:GetObject"], "*")),
)
# Violation (scoped): NotResource.
aws.iam.RolePolicy(
    "not-resource",
    role=role.id,
    policy=document(
        {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}
    ),
)
# Violation (wildcard actions): a role's inline policy with `s3:*` on a scoped resource.
aws.iam.Role(
    "inline-wildcard",
    assume_role_policy=ASSUME_LAMBDA,
    inline_policies=[
        {
            "name": "everything-s3",
            "policy": document(allow("s3:*", "arn:aws:s3:::uploads-bucket/*")),
        }
    ],
)
# Violation (both): a document rendered by get_policy_document with a partial wildcard and '*'.
rendered = aws.iam.get_policy_document(
    statements=[{"effect": "Allow", "actions": ["s3:Get*"], "resources": ["*"]}]
)
aws.iam.RolePolicy("rendered", role=role.id, policy=rendered.json)
# Violation (wildcard actions): NotAction, and Action "*".
aws.iam.RolePolicy(
    "not-action",
    role=role.id,
    policy=document(
        {"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::uploads-bucket/*"}
    ),
)
aws.iam.Policy("admin-doc", policy=document(allow("*", "arn:aws:s3:::uploads-bucket/*")))
# Violation (wildcard actions): attaching an AWS-managed admin policy.
aws.iam.RolePolicyAttachment(
    "admin-attachment", role=role.name, policy_arn="arn:aws:iam::aws:policy/AdministratorAccess"
)
# Violation (both mandatory IAM policies): a document that is not JSON.
aws.iam.RolePolicy("not-json", role=role.id, policy='{"Version": "2012-10-17", "Statement": [')
# Advisory (known actions): a misspelt action on a scoped resource.
aws.iam.RolePolicy(
    "typo", role=role.id, policy=document(allow("s3:GetObjekt", "arn:aws:s3:::uploads-bucket/*"))
)
