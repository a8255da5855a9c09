"""Red-team bypass attempts, one resource each, next to compliant counterparts; each resource's
name says what it proves (see test_bypasses.py). Every attack here passed an earlier pack."""

import json

import pulumi
import pulumi_aws as aws

ACCOUNT = "123456789012"
ALL_BLOCKED = {
    "block_public_acls": True,
    "block_public_policy": True,
    "ignore_public_acls": True,
    "restrict_public_buckets": True,
}
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


def settings(name: str, bucket) -> None:
    """Versioning, encryption and access block for whatever `bucket` resolves to."""
    aws.s3.BucketVersioning(
        f"{name}-versioning", bucket=bucket, versioning_configuration={"status": "Enabled"}
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-sse",
        bucket=bucket,
        rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}],
    )
    aws.s3.BucketPublicAccessBlock(f"{name}-pab", bucket=bucket, **ALL_BLOCKED)


# --- S3: linking ---------------------------------------------------------------------------
# Attack: one set of settings whose `bucket` depends on two buckets configures only the first.
shared_a = aws.s3.Bucket("shared-a")
shared_b = aws.s3.Bucket("shared-b")
settings("shared", pulumi.Output.all(shared_a.id, shared_b.id).apply(lambda ids: ids[0]))
# Attack: settings that depend on this bucket but name another one.
decoy = aws.s3.Bucket("decoy-dependency", bucket="policy-tests-decoy")
settings("decoy-dependency", decoy.id.apply(lambda _: "policy-tests-somewhere-else"))
# Compliant counterpart: the settings of one bucket, by its id.
own = aws.s3.Bucket("own-settings")
settings("own-settings", own.id)

# --- S3: public grants (all on a bucket that is otherwise locked down) ---------------------
grants = aws.s3.Bucket("grants")
settings("grants", grants.id)
GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::grants/*"}


def bucket_policy(name: str, policy: str) -> None:
    aws.s3.BucketPolicy(name, bucket=grants.id, policy=policy)


# Attack: a repeated key; Python's json keeps the last (scoped) Principal, another parser the first.
bucket_policy(
    "duplicate-principal",
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", '
    '"Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "s3:GetObject", '
    '"Resource": "arn:aws:s3:::grants/*"}]}',
)
# Attack: a wildcard inside a principal ARN.
bucket_policy(
    "wildcard-account-principal", document({**GET, "Principal": {"AWS": "arn:aws:iam::*:root"}})
)
# Attack: a lower-case element name the checker would read as absent.
bucket_policy(
    "lowercase-condition",
    document(
        {**GET, "Principal": "*", "condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}
    ),
)
# Compliant counterpart: Principal '*' pinned to one account.
bucket_policy(
    "narrowed-principal",
    document(
        {**GET, "Principal": "*", "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}}
    ),
)
# Attack: public object ACLs.
aws.s3.BucketObject("public-object", bucket=grants.id, key="a.txt", content="a", acl="public-read")
aws.s3.BucketObjectv2(
    "public-object-v2", bucket=grants.id, key="b.txt", content="b", acl="public-read-write"
)
aws.s3.BucketObjectv2("private-object", bucket=grants.id, key="c.txt", content="c")
# Attack: an access point with its own block switched off and a public policy.
aws.s3.AccessPoint(
    "open-access-point",
    bucket=grants.id,
    public_access_block_configuration={
        "block_public_acls": False,
        "block_public_policy": False,
        "ignore_public_acls": False,
        "restrict_public_buckets": False,
    },
    policy=document(
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/open-access-point/object/*",
        }
    ),
)
aws.s3.AccessPoint("default-access-point", bucket=grants.id)  # AWS blocks all by default
# Attack: a Multi-Region Access Point carries its own block too (details.public_access_block).
aws.s3control.MultiRegionAccessPoint(
    "open-multi-region-access-point",
    details={
        "name": "open-mrap",
        "regions": [{"bucket": grants.id}],
        "public_access_block": {"block_public_policy": False},
    },
)
aws.s3control.MultiRegionAccessPoint(
    "default-multi-region-access-point",  # omitted block, or omitted flags: AWS blocks all
    details={
        "name": "default-mrap",
        "regions": [{"bucket": grants.id}],
        "public_access_block": {"block_public_acls": True},
    },
)
# Attack: the account-wide block switched off.
aws.s3.AccountPublicAccessBlock(
    "account-block-off",
    block_public_acls=True,
    block_public_policy=False,
    ignore_public_acls=True,
    restrict_public_buckets=False,
)

# --- Opaque resources ------------------------------------------------------------------------
aws.cloudcontrol.Resource(
    "cloud-control-bucket",
    type_name="AWS::S3::Bucket",
    desired_state=json.dumps({"BucketName": "policy-tests-opaque"}),
)
aws.cloudformation.Stack(
    "template-stack",
    template_body=json.dumps({"Resources": {"Open": {"Type": "AWS::S3::Bucket"}}}),
)

# An AWS Native resource (declared raw here; pulumi-aws-native generates the same registration).
pulumi.CustomResource(
    "aws-native:s3:Bucket", "native-bucket", {"bucketName": "policy-tests-native"}
)

# --- IAM --------------------------------------------------------------------------------------
role = aws.iam.Role("role", assume_role_policy=ASSUME_LAMBDA)


def role_policy(name: str, policy: str) -> None:
    aws.iam.RolePolicy(name, role=role.id, policy=policy)


# Attack: wildcards that stop short of a resource-type word still cover the whole type.
role_policy(
    "type-prefix-wildcard",
    document(
        {
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": f"arn:aws:lambda:us-east-1:{ACCOUNT}:func*",
        }
    ),
)
# Compliant counterpart: a name prefix after the type word.
role_policy(
    "name-prefix-wildcard",
    document(
        {
            "Effect": "Allow",
            "Action": "lambda:InvokeFunction",
            "Resource": f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:processor-*",
        }
    ),
)
# Attack: repeated keys: Python reads the scoped Resource / exact Action, another parser may not.
role_policy(
    "duplicate-resource",
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
    '"Resource": "*", "Resource": "arn:aws:s3:::uploads-bucket/*"}]}',
)
role_policy(
    "duplicate-action",
    '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", '
    '"Action": "s3:GetObject", "Resource": "arn:aws:s3:::uploads-bucket/*"}]}',
)
# Attack: AWS-managed policies carry their own Resource '*' documents.
aws.iam.RolePolicyAttachment(
    "managed-basic-execution",
    role=role.name,
    policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
)
aws.iam.RolePolicyAttachment(
    "managed-read-only", role=role.name, policy_arn="arn:aws:iam::aws:policy/ReadOnlyAccess"
)
# Compliant counterpart: a customer-managed policy (its document is checked where it is declared).
aws.iam.RolePolicyAttachment(
    "customer-managed",
    role=role.name,
    policy_arn=f"arn:aws:iam::{ACCOUNT}:policy/processor-read",
)
# Attack: a role anyone can assume.
aws.iam.Role(
    "open-trust",
    assume_role_policy=document(
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    ),
)

# --- Tags --------------------------------------------------------------------------------------
# Attack: an explicit, untagged provider named like the engine's default provider.
fake_default = aws.Provider("default", region="us-east-1")
aws.sqs.Queue("fake-default-provider", opts=pulumi.ResourceOptions(provider=fake_default))
# Attack: default tags the provider is told to ignore are never applied.
ignoring = aws.Provider(
    "ignoring",
    region="us-east-1",
    default_tags={"tags": {"Project": "p", "Environment": "e", "Owner": "o", "ManagedBy": "m"}},
    ignore_tags={"key_prefixes": ["Own"]},
)
aws.sqs.Queue("ignored-tag", opts=pulumi.ResourceOptions(provider=ignoring))

# --- Lambda permissions ------------------------------------------------------------------------
function = aws.lambda_.Function(
    "fn",
    role=role.arn,
    runtime="python3.13",
    handler="index.handler",
    code=pulumi.AssetArchive(
        {"index.py": pulumi.StringAsset("def handler(event, context):\n    return None\n")}
    ),
    dead_letter_config={"target_arn": f"arn:aws:sqs:us-east-1:{ACCOUNT}:dlq"},
)
# Attack: a source ARN that wildcards every EventBridge rule by stopping at 'r'.
aws.lambda_.Permission(
    "rule-prefix-source",
    action="lambda:InvokeFunction",
    function=function.name,
    principal="events.amazonaws.com",
    source_arn=f"arn:aws:events:us-east-1:{ACCOUNT}:r*",
)
# Attack: any Alexa skill may invoke.
aws.lambda_.Permission(
    "any-alexa-skill",
    action="lambda:InvokeFunction",
    function=function.name,
    principal="alexa-appkit.amazon.com",
)
# Compliant counterparts.
aws.lambda_.Permission(
    "one-rule-source",
    action="lambda:InvokeFunction",
    function=function.name,
    principal="events.amazonaws.com",
    source_arn=f"arn:aws:events:us-east-1:{ACCOUNT}:rule/nightly",
)
aws.lambda_.Permission(
    "one-alexa-skill",
    action="lambda:InvokeFunction",
    function=function.name,
    principal="alexa-appkit.amazon.com",
    event_source_token="amzn1.ask.skill.0000",
)

# --- Later rounds --------------------------------------------------------------------------------
# Attack: a layer shared with every AWS account.
layer = aws.lambda_.LayerVersion(
    "layer",
    layer_name="shared-code",
    code=pulumi.AssetArchive({"python/x.py": pulumi.StringAsset("X = 1\n")}),
)
aws.lambda_.LayerVersionPermission(
    "public-layer",
    layer_name=layer.layer_arn,
    version_number=layer.version,
    principal="*",
    action="lambda:GetLayerVersion",
    statement_id="everyone",
)
aws.lambda_.LayerVersionPermission(
    "org-layer",
    layer_name=layer.layer_arn,
    version_number=layer.version,
    principal="*",
    organization_id="o-abcdefghij",
    action="lambda:GetLayerVersion",
    statement_id="org",
)
# Attack: a tag value of zero-width characters looks set but says nothing.
aws.sqs.Queue("invisible-owner", tags={"Owner": "\u200b\u200b"})
# Attack (advisory): a TLS-only Deny copied from another bucket's policy protects that bucket only.
copied = aws.s3.Bucket("copied-tls", bucket="policy-tests-copied-tls")
settings("copied-tls", copied.id)
aws.s3.BucketPolicy(
    "copied-tls-policy",
    bucket=copied.id,
    policy=document(
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": ["arn:aws:s3:::some-other-bucket", "arn:aws:s3:::some-other-bucket/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ),
)
tls = aws.s3.Bucket("own-tls", bucket="policy-tests-own-tls")
settings("own-tls", tls.id)
aws.s3.BucketPolicy(
    "own-tls-policy",
    bucket=tls.id,
    policy=document(
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": [
                "arn:aws:s3:::policy-tests-own-tls",
                "arn:aws:s3:::policy-tests-own-tls/*",
            ],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        }
    ),
)
# Attack: a service principal with no source condition: any customer's CloudFront distribution
# could read the bucket (confused deputy). Its counterpart pins the distribution.
CLOUDFRONT = {"Service": "cloudfront.amazonaws.com"}
bucket_policy("any-distribution", document({**GET, "Principal": CLOUDFRONT}))
bucket_policy(
    "one-distribution",
    document(
        {
            **GET,
            "Principal": CLOUDFRONT,
            "Condition": {
                "StringEquals": {
                    "AWS:SourceArn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/EDFDVBD6EXAMPLE"
                }
            },
        }
    ),
)
# Attack: the AllUsers group URI spelt differently (scheme, case, trailing slash).
aws.s3.BucketAcl(
    "group-uri-variant",
    bucket=grants.id,
    access_control_policy={
        "owner": {"id": "owner-canonical-id"},
        "grants": [
            {
                "grantee": {
                    "type": "Group",
                    "uri": "https://acs.amazonaws.com/groups/global/allusers/",
                },
                "permission": "READ",
            }
        ],
    },
)
# Attack: sharing lists whose reserved value means every AWS account (no policy document).
aws.rds.Snapshot(
    "public-db-snapshot",
    db_instance_identifier="db",
    db_snapshot_identifier="s1",
    shared_accounts=["all"],
)
aws.rds.Snapshot(
    "shared-db-snapshot",
    db_instance_identifier="db",
    db_snapshot_identifier="s2",
    shared_accounts=[ACCOUNT],
)
aws.ec2.AmiLaunchPermission("public-ami", image_id="ami-0123456789abcdef0", group="all")
aws.ec2.AmiLaunchPermission("shared-ami", image_id="ami-0123456789abcdef0", account_id=ACCOUNT)
aws.ssm.Document(
    "public-ssm-document",
    document_type="Command",
    content=json.dumps({"schemaVersion": "2.2", "mainSteps": []}),
    permissions={"type": "Share", "account_ids": f"{ACCOUNT},All"},
)
aws.imagebuilder.DistributionConfiguration(
    "public-image-distribution",
    distributions=[
        {
            "region": "us-east-1",
            "ami_distribution_configuration": {"launch_permission": {"user_groups": ["all"]}},
        }
    ],
)
# Attack: the account-wide switches that stop public AMI and EBS snapshot sharing, turned off
# (each judged on its own, so a later compliant one cannot hide an earlier one).
aws.ec2.ImageBlockPublicAccess("ami-sharing-unblocked", state="unblocked")
aws.ec2.ImageBlockPublicAccess("ami-sharing-blocked", state="block-new-sharing")
aws.ebs.SnapshotBlockPublicAccess("snapshot-sharing-unblocked", state="unblocked")
# Already-public snapshots stay public under block-new-sharing: only block-all-sharing is private.
aws.ebs.SnapshotBlockPublicAccess("snapshot-new-sharing-blocked", state="block-new-sharing")
aws.ebs.SnapshotBlockPublicAccess("snapshot-sharing-blocked", state="block-all-sharing")
# Attack: a PrivateLink endpoint service any AWS account may connect to.
NLB_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/net/nlb/0123456789abcdef"
public_service = aws.ec2.VpcEndpointService(
    "public-endpoint-service",
    acceptance_required=False,
    network_load_balancer_arns=[NLB_ARN],
    allowed_principals=[f"arn:aws:iam::{ACCOUNT}:root", "*"],
)
aws.ec2.VpcEndpointServiceAllowedPrinciple(
    "public-endpoint-principal", vpc_endpoint_service_id=public_service.id, principal_arn="*"
)
private_service = aws.ec2.VpcEndpointService(
    "private-endpoint-service",
    acceptance_required=False,
    network_load_balancer_arns=[NLB_ARN],
    allowed_principals=[f"arn:aws:iam::{ACCOUNT}:root"],
)
# Compliant: any account may ask to connect, but the owner accepts each connection.
aws.ec2.VpcEndpointService(
    "accepted-endpoint-service",
    acceptance_required=True,
    network_load_balancer_arns=[NLB_ARN],
    allowed_principals=["*"],
)
aws.ec2.VpcEndpointServiceAllowedPrinciple(
    "private-endpoint-principal",
    vpc_endpoint_service_id=private_service.id,
    principal_arn=f"arn:aws:iam::{ACCOUNT}:role/consumer",
)
