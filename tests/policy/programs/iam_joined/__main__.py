"""Name prefixes that add up to every bucket only when a principal's documents are joined (see
tests/policy/test_iam_joined.py); names say what each proves."""

import json
import string

import pulumi_aws as aws

ACCOUNT = "123456789012"
FIRST = string.ascii_lowercase + string.digits  # every first character a bucket name can have
TRUST = json.dumps(
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


def document(first_characters: str) -> str:
    resources = [f"arn:aws:s3:::{c}*/*" for c in first_characters]
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": resources}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def role(name: str, **kwargs) -> aws.iam.Role:
    return aws.iam.Role(name, name=name, assume_role_policy=TRUST, **kwargs)


# Two RolePolicies of one role, half the alphabet each: every bucket.
split = role("split-role-policies")
aws.iam.RolePolicy("split-first-half", role=split.id, policy=document(FIRST[:18]))
aws.iam.RolePolicy("split-second-half", role=split.id, policy=document(FIRST[18:]))

# An inline policy and an attached customer-managed policy.
attached_policy = aws.iam.Policy("second-half-policy", policy=document(FIRST[18:]))
inline = role(
    "split-inline-and-attached",
    inline_policies=[{"name": "first-half", "policy": document(FIRST[:18])}],
)
aws.iam.RolePolicyAttachment("attach-second-half", role=inline.name, policy_arn=attached_policy.arn)

# A user's own policy and its group's policy.
group = aws.iam.Group("readers", name="readers")
aws.iam.GroupPolicy("group-first-half", group=group.name, policy=document(FIRST[:18]))
user = aws.iam.User("split-user", name="split-user")
aws.iam.UserPolicy("user-second-half", user=user.name, policy=document(FIRST[18:]))
aws.iam.UserGroupMembership("membership", user=user.name, groups=[group.name])

# Compliant: each half on a different role, and a few prefixes over two documents of one role.
left = role("left-half-only")
aws.iam.RolePolicy("left-half", role=left.id, policy=document(FIRST[:18]))
right = role("right-half-only")
aws.iam.RolePolicy("right-half", role=right.id, policy=document(FIRST[18:]))
few = role("few-prefixes")
aws.iam.RolePolicy("few-a", role=few.id, policy=document("ab"))
aws.iam.RolePolicy("few-b", role=few.id, policy=document("cd"))
