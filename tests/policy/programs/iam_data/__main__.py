"""IAM judged from IAM's own data, one resource per scenario; the name says what it proves (see
test_iam_data.py). Escalation paths are declared from cloudsplaining's table, one role policy per
path, each on exact ARNs."""

import json
import string

import pulumi_aws as aws
from cloudsplaining.shared.constants import PRIVILEGE_ESCALATION_METHODS

ACCOUNT = "123456789012"
REGION = "us-east-1"
EC2 = f"arn:aws:ec2:{REGION}:{ACCOUNT}"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"
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


def role_policy(name: str, *statements: dict) -> aws.iam.RolePolicy:
    return aws.iam.RolePolicy(name, role=role.id, policy=document(*statements))


role = aws.iam.Role("role", name="processor", assume_role_policy=ASSUME_LAMBDA)
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/processor"

# --- Policy variables are wildcards in their field (iam-scoped-resources).
role_policy("var-account", allow("iam:GetRole", "arn:aws:iam::${aws:PrincipalAccount}:role/*"))
role_policy(
    "var-region",
    allow("logs:PutLogEvents", "arn:aws:logs:${aws:RequestedRegion}:123456789012:log-group:app:*"),
)
role_policy(
    "var-region-account",
    allow("logs:PutLogEvents", "arn:aws:logs:${aws:RequestedRegion}:${aws:PrincipalAccount}:*"),
)
role_policy("var-partition", allow("s3:GetObject", "arn:${aws:partition}:s3:::uploads-bucket/*"))
role_policy("var-service", allow("s3:GetObject", "arn:aws:${aws:service}:::uploads-bucket/*"))
role_policy("var-bucket", allow("s3:GetObject", "arn:aws:s3:::${aws:username}/*"))
role_policy(
    "var-type",
    allow("dynamodb:GetItem", f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:${{aws:username}}/orders"),
)
# Compliant: a variable inside a named bucket's key (a per-user home folder).
role_policy("var-home-folder", allow("s3:GetObject", "arn:aws:s3:::home-bucket/${aws:username}/*"))

# --- Id prefixes AWS always generates (from botocore's id patterns).
role_policy("instance-prefix", allow("ec2:StopInstances", f"{EC2}:instance/i-*"))
role_policy("instance-letter", allow("ec2:StopInstances", f"{EC2}:instance/i*"))
role_policy("volume-prefix", allow("ec2:DetachVolume", f"{EC2}:volume/vol-*"))
role_policy("one-instance", allow("ec2:StopInstances", f"{EC2}:instance/i-0123456789abcdef0"))

# --- The union of a statement's entries.
role_policy(
    "every-bucket-by-letter",
    allow("s3:GetObject", [f"arn:aws:s3:::{c}*/*" for c in string.ascii_lowercase + string.digits]),
)
role_policy(
    "every-instance-by-hex",
    allow("ec2:StopInstances", [f"{EC2}:instance/i-{c}*" for c in string.hexdigits[:16]]),
)
NAMES = string.ascii_lowercase + string.digits
role_policy(
    "every-bucket-over-statements",
    allow("s3:GetObject", [f"arn:aws:s3:::{c}*/*" for c in NAMES[:18]]),
    allow("s3:PutObject", [f"arn:aws:s3:::{c}*/*" for c in NAMES[18:]]),
)
role_policy(
    "some-buckets-by-letter", allow("s3:GetObject", [f"arn:aws:s3:::{c}*/*" for c in "abc"])
)

# --- Actions that create a resource whose id AWS generates.
role_policy(
    "create-eni",
    allow(
        "ec2:CreateNetworkInterface",
        [
            f"{EC2}:network-interface/*",
            f"{EC2}:subnet/subnet-0123456789abcdef0",
            f"{EC2}:security-group/sg-0123456789abcdef0",
        ],
    ),
)
role_policy(
    "start-classification-job",
    allow(
        "comprehend:StartDocumentClassificationJob",
        f"arn:aws:comprehend:{REGION}:{ACCOUNT}:document-classification-job/*",
    ),
)
role_policy(
    "create-and-delete-eni",
    allow(
        ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"],
        f"{EC2}:network-interface/*",
    ),
)
role_policy(
    "create-eni-any-account",
    allow("ec2:CreateNetworkInterface", f"arn:aws:ec2:{REGION}:*:network-interface/*"),
)
role_policy("create-eni-star", allow("ec2:CreateNetworkInterface", "*"))
# Existing resources whose ids AWS generates: the type in a literal region and account, confined
# by a fixed ARN on a related-resource key AWS evaluates for every action (a VPC function's ENIs).
VPC = f"{EC2}:vpc/vpc-0123456789abcdef0"
ENI_ACTIONS = [
    "ec2:DeleteNetworkInterface",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
]


def confined(name: str, actions, resource: str, condition: dict) -> None:
    role_policy(name, {**allow(actions, resource), "Condition": condition})


confined("eni-in-vpc", ENI_ACTIONS, f"{EC2}:network-interface/*", {"ArnEquals": {"ec2:Vpc": VPC}})
confined(
    "instances-by-profile",
    "ec2:TerminateInstances",
    f"{EC2}:instance/*",
    {"ArnEquals": {"ec2:InstanceProfile": f"arn:aws:iam::{ACCOUNT}:instance-profile/workers"}},
)
confined(
    "eni-vpc-wildcard",
    ENI_ACTIONS,
    f"{EC2}:network-interface/*",
    {"ArnLike": {"ec2:Vpc": f"{EC2}:vpc/*"}},
)
confined(
    "eni-vpc-variable",
    ENI_ACTIONS,
    f"{EC2}:network-interface/*",
    {"ArnEquals": {"ec2:Vpc": "${ec2:Vpc}"}},
)
confined(
    "eni-vpc-if-exists",
    ENI_ACTIONS,
    f"{EC2}:network-interface/*",
    {"ArnEqualsIfExists": {"ec2:Vpc": VPC}},
)
confined(
    "eni-vpc-negated", ENI_ACTIONS, f"{EC2}:network-interface/*", {"ArnNotEquals": {"ec2:Vpc": VPC}}
)
confined(
    "eni-vpc-any-account",
    ENI_ACTIONS,
    f"arn:aws:ec2:{REGION}:*:network-interface/*",
    {"ArnEquals": {"ec2:Vpc": VPC}},
)
confined("eni-vpc-star", ENI_ACTIONS, "*", {"ArnEquals": {"ec2:Vpc": VPC}})
confined(
    "eni-zone-only",
    ENI_ACTIONS,
    f"{EC2}:network-interface/*",
    {"StringEquals": {"ec2:AvailabilityZone": "us-east-1a"}},
)
# ec2:CreateTrafficMirrorTarget does not evaluate ec2:Vpc on a network interface.
confined(
    "eni-action-without-key",
    ["ec2:DeleteNetworkInterface", "ec2:CreateTrafficMirrorTarget"],
    f"{EC2}:network-interface/*",
    {"ArnEquals": {"ec2:Vpc": VPC}},
)
# A key that filters what the request attaches (ec2:NewInstanceProfile, "the instance profile
# being attached") does not confine which instances the statement reaches.
confined(
    "instances-by-new-profile",
    "ec2:AssociateIamInstanceProfile",
    f"{EC2}:instance/*",
    {"ArnEquals": {"ec2:NewInstanceProfile": f"arn:aws:iam::{ACCOUNT}:instance-profile/workers"}},
)
# Function names are the caller's choice: the type-wide form stays refused whatever the condition.
confined(
    "functions-by-arn-key",
    "lambda:DeleteFunction",
    f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:*",
    {"ArnEquals": {"lambda:FunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:f"}},
)
# Function names are the caller's choice: no type-wide form for creating one.
role_policy(
    "create-function-type",
    allow("lambda:CreateFunction", f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:*"),
)

# --- Attachment inputs from the generated table.
permission_set = "arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef"
aws.ssoadmin.ManagedPolicyAttachmentsExclusive(
    "sso-admin-exclusive",
    instance_arn="arn:aws:sso:::instance/ssoins-1234567890abcdef",
    permission_set_arn=permission_set,
    managed_policy_arns=[ADMIN],
)
# Compliant: Roles Anywhere applies these policies as a limit on the session, not a grant.
aws.rolesanywhere.Profile(
    "session-limit",
    name="session-limit",
    role_arns=[ROLE_ARN],
    managed_policy_arns=["arn:aws:iam::aws:policy/ReadOnlyAccess"],
)

# --- Privilege escalation: every path in cloudsplaining's table, each action on an exact ARN.
for path, actions in PRIVILEGE_ESCALATION_METHODS.items():
    role_policy(f"path-{path}", allow(sorted(actions), ROLE_ARN))
role_policy("own-role-put-policy", allow("iam:PutRolePolicy", ROLE_ARN))
role_policy("wildcard-put", allow("iam:Put*", ROLE_ARN))
role_policy("mixed-case", allow("IAM:attachROLEpolicy", ROLE_ARN))
role_policy("not-action", {"Effect": "Allow", "NotAction": "s3:*", "Resource": ROLE_ARN})
# Compliant: PassRole alone, and a path whose action a Deny on '*' removes.
role_policy("pass-role-only", allow("iam:PassRole", ROLE_ARN))
role_policy(
    "denied-path",
    allow("iam:PutRolePolicy", ROLE_ARN),
    {"Effect": "Deny", "Action": "iam:PutRolePolicy", "Resource": "*"},
)
# A path split over two documents of one role, and over an attached customer policy.
split = aws.iam.Role("split-role", assume_role_policy=ASSUME_LAMBDA)
aws.iam.RolePolicy("split-pass", role=split.id, policy=document(allow("iam:PassRole", ROLE_ARN)))
aws.iam.RolePolicy(
    "split-create",
    role=split.id,
    policy=document(
        allow(
            ["lambda:CreateFunction", "lambda:InvokeFunction"],
            f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:processor-*",
        )
    ),
)
attached = aws.iam.Role(
    "attached-role",
    assume_role_policy=ASSUME_LAMBDA,
    inline_policies=[
        {
            "name": "run-instances",
            "policy": document(allow("ec2:RunInstances", f"{EC2}:instance/i-0123456789abcdef0")),
        }
    ],
)
pass_role = aws.iam.Policy("pass-role-policy", policy=document(allow("iam:PassRole", ROLE_ARN)))
aws.iam.RolePolicyAttachment("attach-pass-role", role=attached.name, policy_arn=pass_role.arn)

# --- Advisories: policies straight on users, and whole-account trust.
user = aws.iam.User("user", name="deployer")
group = aws.iam.Group("group", name="deployers")
READ = document(allow("s3:GetObject", "arn:aws:s3:::uploads-bucket/*"))
aws.iam.UserPolicy("user-inline", user=user.name, policy=READ)
customer = aws.iam.Policy("customer-read", policy=READ)
aws.iam.UserPolicyAttachment("user-attached", user=user.name, policy_arn=customer.arn)
aws.iam.PolicyAttachment("users-attached", users=[user.name], policy_arn=customer.arn)
aws.iam.GroupPolicy("group-inline", group=group.name, policy=READ)
aws.iam.PolicyAttachment("roles-attached", roles=[role.name], policy_arn=customer.arn)


def trust(principal, condition=None) -> str:
    statement = {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    return document(statement)


aws.iam.Role("root-trust", assume_role_policy=trust("arn:aws:iam::111122223333:root"))
aws.iam.Role("account-id-trust", assume_role_policy=trust(["111122223333"]))
aws.iam.Role(
    "root-trust-external-id",
    assume_role_policy=trust(
        "arn:aws:iam::111122223333:root", {"StringEquals": {"sts:ExternalId": "partner-42"}}
    ),
)
aws.iam.Role("role-trust", assume_role_policy=trust("arn:aws:iam::111122223333:role/deployer"))

# A path joined through a role's literal name (no dependency) and an exclusive attachment that
# attaches nothing (compliant for the user advisory).
named = aws.iam.Role(
    "named-role",
    name="named-role",
    assume_role_policy=ASSUME_LAMBDA,
    inline_policies=[{"name": "pass", "policy": document(allow("iam:PassRole", ROLE_ARN))}],
)
aws.iam.RolePolicy(
    "named-run",
    role="named-role",
    policy=document(allow("ec2:RunInstances", f"{EC2}:instance/i-0123456789abcdef0")),
)
aws.iam.UserPolicyAttachmentsExclusive("user-none", user_name=user.name, policy_arns=[])
role_policy("star-action", allow("*", ROLE_ARN))
# Compliant: a user managing its own access keys and password; another user's keys escalate.
role_policy(
    "own-credentials",
    allow(
        ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:CreateLoginProfile"],
        f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}",
    ),
)
# Compliant: AWS's self-service example as published ("Allows IAM users to manage their own
# credentials"), with `*` for the account.
aws.iam.Policy(
    "self-manage-doc",
    policy=document(
        allow(
            ["iam:ChangePassword", "iam:GetUser", "iam:CreateAccessKey", "iam:ListAccessKeys"],
            "arn:aws:iam::*:user/${aws:username}",
        ),
        allow(
            ["iam:EnableMFADevice", "iam:ResyncMFADevice"], "arn:aws:iam::*:user/${aws:username}"
        ),
    ),
)
role_policy("other-user-keys", allow("iam:CreateAccessKey", f"arn:aws:iam::{ACCOUNT}:user/admin"))
role_policy(
    "own-user-policy", allow("iam:PutUserPolicy", f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}")
)
# A path joined through a customer policy attached by its literal ARN (no dependency).
aws.iam.Policy(
    "named-pass-policy", name="named-pass", policy=document(allow("iam:PassRole", ROLE_ARN))
)
by_arn = aws.iam.Role(
    "by-arn-role",
    assume_role_policy=ASSUME_LAMBDA,
    inline_policies=[
        {
            "name": "run",
            "policy": document(allow("ec2:RunInstances", f"{EC2}:instance/i-0123456789abcdef0")),
        }
    ],
)
aws.iam.RolePolicyAttachment(
    "attach-by-arn", role=by_arn.name, policy_arn=f"arn:aws:iam::{ACCOUNT}:policy/named-pass"
)
# A path joined through a group the user belongs to.
runner = aws.iam.User("group-member", name="runner")
passers = aws.iam.Group("passers", name="passers")
aws.iam.GroupPolicy(
    "passers-pass", group=passers.name, policy=document(allow("iam:PassRole", ROLE_ARN))
)
aws.iam.UserGroupMembership("runner-groups", user=runner.name, groups=[passers.name])
aws.iam.UserPolicy(
    "runner-run",
    user=runner.name,
    policy=document(allow("ec2:RunInstances", f"{EC2}:instance/i-0123456789abcdef0")),
)
