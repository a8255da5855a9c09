"""AWS's documented policies, each as its guide publishes it (must pass), beside variants that
try to slip past the rule that accepts it (must be reported). Names starting `bad-` are the
variants; see tests/policy/test_aws_examples.py for the policy each one must trip."""

import json

import pulumi_aws as aws

ACCOUNT = "111122223333"
BUCKET = "policy-tests-aws-examples-logs"
BUCKET_ARN = f"arn:aws:s3:::{BUCKET}"
ELB = "logdelivery.elasticloadbalancing.amazonaws.com"


def document(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def service_put(principal: str, resource, condition: dict | None = None, **extra) -> dict:
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": "s3:PutObject",
        "Resource": resource,
        **extra,
    }
    return {**statement, "Condition": condition} if condition else statement


bucket = aws.s3.Bucket("logs", bucket=BUCKET)
aws.s3.BucketVersioning(
    "logs-versioning", bucket=bucket.bucket, versioning_configuration={"status": "Enabled"}
)
aws.s3.BucketServerSideEncryptionConfiguration(
    "logs-encryption",
    bucket=bucket.bucket,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
)
aws.s3.BucketPublicAccessBlock(
    "logs-public-access",
    bucket=bucket.bucket,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)


def bucket_policy(name: str, *statements: dict) -> None:
    aws.s3.BucketPolicy(name, bucket=bucket.bucket, policy=document(*statements))


# --- ELB access logs, Regions available after August 2022: the service principal, no Condition
# (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).
bucket_policy("elb-logs", service_put(ELB, f"{BUCKET_ARN}/prefix/AWSLogs/{ACCOUNT}/*"))
bucket_policy("elb-logs-no-prefix", service_put(ELB, f"{BUCKET_ARN}/AWSLogs/{ACCOUNT}/*"))
# Older Regions: the ELB account of the Region as principal (a fixed account).
bucket_policy(
    "elb-logs-account",
    {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::127311923021:root"},
        "Action": "s3:PutObject",
        "Resource": f"{BUCKET_ARN}/prefix/AWSLogs/{ACCOUNT}/*",
    },
)
bucket_policy("bad-elb-any-account", service_put(ELB, f"{BUCKET_ARN}/prefix/AWSLogs/*"))
bucket_policy("bad-elb-whole-bucket", service_put(ELB, f"{BUCKET_ARN}/*"))
bucket_policy("bad-elb-star", service_put(ELB, "*"))
bucket_policy("bad-elb-wildcard-before", service_put(ELB, f"{BUCKET_ARN}/*AWSLogs/{ACCOUNT}/*"))
bucket_policy(
    "bad-elb-variable-account", service_put(ELB, f"{BUCKET_ARN}/AWSLogs/${{aws:SourceAccount}}/*")
)
bucket_policy(
    "bad-elb-one-of-two",
    service_put(ELB, [f"{BUCKET_ARN}/AWSLogs/{ACCOUNT}/*", f"{BUCKET_ARN}/other/*"]),
)
bucket_policy(
    "bad-elb-not-resource",
    {
        "Effect": "Allow",
        "Principal": {"Service": ELB},
        "Action": "s3:PutObject",
        "NotResource": f"{BUCKET_ARN}/AWSLogs/{ACCOUNT}/*",
    },
)
# The path confines only the service that writes by it: another service still needs a source key.
bucket_policy(
    "bad-other-service-by-path",
    service_put("delivery.logs.amazonaws.com", f"{BUCKET_ARN}/AWSLogs/{ACCOUNT}/*"),
)

# --- CloudTrail (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
TRAIL = f"arn:aws:cloudtrail:us-east-1:{ACCOUNT}:trail/management"
bucket_policy(
    "cloudtrail",
    {
        "Sid": "AWSCloudTrailAclCheck20150319",
        "Effect": "Allow",
        "Principal": {"Service": "cloudtrail.amazonaws.com"},
        "Action": "s3:GetBucketAcl",
        "Resource": BUCKET_ARN,
        "Condition": {"StringEquals": {"aws:SourceArn": TRAIL}},
    },
    service_put(
        "cloudtrail.amazonaws.com",
        f"{BUCKET_ARN}/AWSLogs/{ACCOUNT}/*",
        {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": TRAIL}},
        Sid="AWSCloudTrailWrite20150319",
    ),
)
# --- AWS Config (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html).
bucket_policy(
    "config",
    {
        "Sid": "AWSConfigBucketPermissionsCheck",
        "Effect": "Allow",
        "Principal": {"Service": "config.amazonaws.com"},
        "Action": "s3:GetBucketAcl",
        "Resource": BUCKET_ARN,
        "Condition": {"StringEquals": {"AWS:SourceAccount": ACCOUNT}},
    },
    service_put(
        "config.amazonaws.com",
        f"{BUCKET_ARN}/AWSLogs/{ACCOUNT}/Config/*",
        {
            "StringEquals": {
                "s3:x-amz-acl": "bucket-owner-full-control",
                "AWS:SourceAccount": ACCOUNT,
            }
        },
        Sid="AWSConfigBucketDelivery",
    ),
)
# --- CloudFront origin access control (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html).
bucket_policy(
    "cloudfront-oac",
    {
        "Sid": "AllowCloudFrontServicePrincipalReadOnly",
        "Effect": "Allow",
        "Principal": {"Service": "cloudfront.amazonaws.com"},
        "Action": "s3:GetObject",
        "Resource": f"{BUCKET_ARN}/*",
        "Condition": {
            "StringEquals": {
                "AWS:SourceArn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/EDFDVBD6EXAMPLE"
            }
        },
    },
)
# --- S3 server access logging (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).
bucket_policy(
    "s3-server-access-logs",
    service_put(
        "logging.s3.amazonaws.com",
        f"{BUCKET_ARN}/logs/*",
        {
            "ArnLike": {"aws:SourceArn": "arn:aws:s3:::source-bucket"},
            "StringEquals": {"aws:SourceAccount": ACCOUNT},
        },
        Sid="S3ServerAccessLogsPolicy",
    ),
)
# --- KMS default key policy: the account root with kms:* delegates to the account's IAM policies
# (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html); one account.
aws.kms.Key(
    "kms-default-policy",
    enable_key_rotation=True,
    policy=document(
        {
            "Sid": "Enable IAM User Permissions",
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    ),
)
# --- SNS topic for S3 event notifications (https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html).
TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:uploads"
aws.sns.TopicPolicy(
    "sns-for-s3-events",
    arn=TOPIC,
    policy=document(
        {
            "Effect": "Allow",
            "Principal": {"Service": "s3.amazonaws.com"},
            "Action": "SNS:Publish",
            "Resource": TOPIC,
            "Condition": {
                "ArnLike": {"aws:SourceArn": f"arn:aws:s3:*:*:{BUCKET}"},
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
            },
        }
    ),
)
# --- SQS queue as an EventBridge target (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions).
QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:events"
aws.sqs.QueuePolicy(
    "sqs-for-eventbridge",
    queue_url=f"https://sqs.us-east-1.amazonaws.com/{ACCOUNT}/events",
    policy=document(
        {
            "Sid": "AWSEvents_custom-eventbus-ack-sqs-rule_dlq_sqs-rule-target",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage",
            "Resource": QUEUE,
            "Condition": {
                "ArnEquals": {"aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/r"}
            },
        }
    ),
)
# --- ECR cross-account pull by one named account (https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html).
aws.ecr.RepositoryPolicy(
    "ecr-cross-account-pull",
    repository="app",
    policy=document(
        {
            "Sid": "AllowCrossAccountPull",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
            "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
        }
    ),
)

# --- GitHub Actions OIDC trust as GitHub's and AWS's guides write it: the audience and a subject
# naming one repository (https://docs.github.com/en/actions/how-tos/secure-your-work/security-harden-deployments/oidc-in-aws).
GITHUB = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
AUD = "token.actions.githubusercontent.com:aud"
SUB = "token.actions.githubusercontent.com:sub"


def github_role(name: str, condition: dict) -> None:
    trust = {
        "Effect": "Allow",
        "Principal": {"Federated": GITHUB},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": condition,
    }
    aws.iam.Role(name, assume_role_policy=document(trust))


github_role(
    "github-main-branch",
    {"StringEquals": {AUD: "sts.amazonaws.com", SUB: "repo:my-org/my-repo:ref:refs/heads/main"}},
)
github_role(
    "github-one-repo",
    {"StringEquals": {AUD: "sts.amazonaws.com"}, "StringLike": {SUB: "repo:my-org/my-repo:*"}},
)
# An organization's customized subject claim naming the repository by its immutable id
# (https://docs.github.com/en/actions/reference/security/oidc#customizing-the-subject-claims-for-an-organization-or-repository).
github_role(
    "github-custom-claim",
    {"StringLike": {SUB: "repository_owner_id:72338778:repository_id:694226741:*"}},
)
github_role("bad-github-custom-owner-only", {"StringLike": {SUB: "repository_owner_id:72338778:*"}})
# A repository-name prefix is every repository that starts with it (`my-repo-fork`).
github_role("bad-github-repo-prefix", {"StringLike": {SUB: "repo:my-org/my-repo*"}})
github_role("bad-github-audience-only", {"StringEquals": {AUD: "sts.amazonaws.com"}})

# --- CloudWatch Logs delivery destination policy: a resource policy under another input name
# (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliveryDestinationPolicy.html).
DESTINATION = f"arn:aws:logs:us-east-1:{ACCOUNT}:delivery-destination:central"


def delivery_destination(name: str, principal) -> None:
    aws.cloudwatch.LogDeliveryDestinationPolicy(
        name,
        delivery_destination_name="central",
        delivery_destination_policy=document(
            {
                "Effect": "Allow",
                "Principal": principal,
                "Action": "logs:CreateDelivery",
                "Resource": DESTINATION,
            }
        ),
    )


delivery_destination("delivery-destination-one-account", {"AWS": "444455556666"})
delivery_destination("bad-delivery-destination-everyone", {"AWS": "*"})
