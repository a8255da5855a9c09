"""IAM judged from IAM's own data, through the gate (programs/iam_data): policy variables, ARN
formats and AWS id prefixes, unions, the create-action form, generated attachment tables,
privilege escalation from cloudsplaining's paths, and the user/account-trust advisories."""

from __future__ import annotations

import pytest
from cloudsplaining.shared.constants import PRIVILEGE_ESCALATION_METHODS

from policypack.rules import iam_escalation

from .conftest import flagged, preview

SCOPED = "iam-scoped-resources"
ESCALATION = "iam-no-privilege-escalation"

# (resource, a fragment of the iam-scoped-resources message that says why)
SCOPED_VIOLATIONS = [
    ("var-account", "'${aws:PrincipalAccount}': a policy variable"),
    ("var-region", "'${aws:RequestedRegion}': a policy variable"),
    ("var-region-account", "wildcards the region"),
    ("var-partition", "wildcards the partition or service"),
    ("var-service", "wildcards the partition or service"),
    ("var-bucket", "wildcards every s3 resource"),
    ("var-type", "wildcards every dynamodb resource"),
    ("instance-prefix", "AWS generates every InstanceId with the prefix 'i-'"),
    ("instance-letter", "AWS generates every InstanceId with the prefix 'i-'"),
    ("volume-prefix", "AWS generates every VolumeId with the prefix 'vol-'"),
    ("every-bucket-by-letter", "together cover every s3 resource"),
    ("every-bucket-over-statements", "the Resource entries of its Allow statements together"),
    ("every-instance-by-hex", "together cover every ec2 resource of the form 'instance/<name>'"),
    ("create-and-delete-eni", "may use arn:aws:ec2:<region>:<account>:network-interface/*"),
    ("create-eni-any-account", "wildcards the account"),
    ("create-eni-star", "may use arn:aws:ec2:<region>:<account>:network-interface/*"),
    ("create-function-type", "wildcards every lambda 'function'"),
    (
        "eni-vpc-wildcard",
        "names one related resource by a fixed ARN (ArnEquals on ec2:Subnet, ec2:Vpc)",
    ),
    ("eni-vpc-variable", "wildcards every ec2 'network-interface' resource"),
    ("eni-vpc-if-exists", "wildcards every ec2 'network-interface' resource"),
    ("eni-vpc-negated", "wildcards every ec2 'network-interface' resource"),
    ("eni-vpc-any-account", "wildcards the account"),
    ("eni-vpc-star", "covers every resource in every account"),
    ("eni-zone-only", "wildcards every ec2 'network-interface' resource"),
    ("eni-action-without-key", "wildcards every ec2 'network-interface' resource"),
    ("functions-by-arn-key", "wildcards every lambda 'function'"),
    ("instances-by-new-profile", "wildcards every ec2 'instance' resource"),
    ("sso-admin-exclusive", "AdministratorAccess"),
]
SCOPED_COMPLIANT = [
    # The caller's own user (`user/${aws:username}`, AWS's self-service pattern) is one resource;
    # what it may do to itself (PutUserPolicy) is iam-no-privilege-escalation's to judge.
    "own-credentials",
    "own-user-policy",
    "self-manage-doc",
    "var-home-folder",
    "one-instance",
    "some-buckets-by-letter",
    "create-eni",
    "start-classification-job",
    "eni-in-vpc",
    "instances-by-profile",
    "session-limit",
]


@pytest.fixture(scope="module")
def report():
    return preview("iam_data")


@pytest.mark.parametrize(("name", "why"), SCOPED_VIOLATIONS, ids=[n for n, _ in SCOPED_VIOLATIONS])
def test_scoped_resources_violations(report, name, why):
    found = flagged(report, SCOPED, level="mandatory")
    assert name in found, f"{SCOPED} let {name!r} through"
    assert any(why in message for message in found[name]), found[name]


@pytest.mark.parametrize("name", SCOPED_COMPLIANT)
def test_scoped_resources_compliant(report, name):
    assert name not in flagged(report, SCOPED)


def test_scoped_resources_flags_nothing_else(report):
    expected = {name for name, _ in SCOPED_VIOLATIONS}
    assert set(flagged(report, SCOPED)) - expected == set()


def test_generated_table_catches_sso_exclusive_admin(report):
    found = flagged(report, "iam-no-wildcard-actions")
    assert any("AdministratorAccess" in m for m in found["sso-admin-exclusive"])
    assert "session-limit" not in found  # Roles Anywhere session policies limit, never grant


@pytest.mark.parametrize("path", sorted(PRIVILEGE_ESCALATION_METHODS))
def test_every_published_escalation_path_is_reported(report, path):
    found = flagged(report, ESCALATION, level="mandatory")
    name = f"path-{path}"
    assert name in found, f"{ESCALATION} let {path} through"
    granted = set(PRIVILEGE_ESCALATION_METHODS[path])
    # The message names the path, or the smaller path its actions already complete.
    reported = iam_escalation.completed_paths(granted)
    assert path in reported or any(iam_escalation.escalation_paths()[r] < granted for r in reported)
    assert all(r in found[name][0] for r in reported)
    assert iam_escalation.path_link(reported[0]) in found[name][0]


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("own-role-put-policy", "PutRolePolicy"),
        ("wildcard-put", "PutRolePolicy"),
        ("mixed-case", "AttachRolePolicy"),
        ("not-action", "CreateAccessKey"),
        ("split-role", "PassExistingRoleToNewLambdaThenInvoke"),
        ("attached-role", "CreateEC2WithExistingIP"),
        ("named-role", "CreateEC2WithExistingIP"),
        ("by-arn-role", "CreateEC2WithExistingIP"),
        ("group-member", "CreateEC2WithExistingIP"),
        ("other-user-keys", "CreateAccessKey"),
        ("own-user-policy", "PutUserPolicy"),
        ("star-action", "and "),  # every path: the message lists six and counts the rest
    ],
)
def test_escalation_variants(report, name, path):
    found = flagged(report, ESCALATION, level="mandatory")
    assert name in found
    assert path in found[name][0]


def test_escalation_compliant(report):
    found = flagged(report, ESCALATION)
    for name in (
        "own-credentials",
        "self-manage-doc",
        "pass-role-only",
        "denied-path",
        "split-pass",
        "split-create",
        "pass-role-policy",
    ):
        assert name not in found, found.get(name)
    # Every finding is on a path program, a variant above, or a principal joining documents.
    variants = {
        "own-role-put-policy",
        "wildcard-put",
        "mixed-case",
        "not-action",
        "star-action",
        "other-user-keys",
        "own-user-policy",
    }
    others = {n for n in found if not n.startswith("path-")} - variants
    assert others == {"split-role", "attached-role", "named-role", "by-arn-role", "group-member"}


def test_users_with_direct_policies_are_advisory(report):
    found = flagged(report, "iam-user-no-direct-policies")
    assert set(found) == {"user-inline", "user-attached", "users-attached", "runner-run"}
    assert {v.enforcement_level for v in report.violations if v.policy in found} <= {"advisory"}


def test_whole_account_trust_without_condition_is_advisory(report):
    found = flagged(report, "iam-account-trust-conditioned", level="advisory")
    assert set(found) == {"root-trust", "account-id-trust"}
    assert "111122223333" in found["root-trust"][0]
    assert not flagged(report, "iam-account-trust-conditioned", level="mandatory")


def test_iam_input_table_matches_the_installed_sdk():
    from policypack.rules import iam_inputs  # noqa: PLC0415

    assert iam_inputs._table() == iam_inputs.generate_from_sdk(), (
        "regenerate with: cd policypack && ../.venv/bin/python -m rules.iam_inputs"
    )
    documents = iam_inputs.identity_document_inputs()
    assert documents["aws:iam/role:Role"] == ("inlinePolicies[].policy",)
    assert "aws:s3/bucketPolicy:BucketPolicy" not in documents  # a resource policy
    arns = iam_inputs.granting_policy_arn_inputs()
    exclusive = "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive"
    assert arns[exclusive] == {"managedPolicyArns": "grants"}
    assert "aws:rolesanywhere/profile:Profile" not in arns  # session policies limit


def test_id_prefix_table_matches_botocore():
    from policypack.rules import aws_ids  # noqa: PLC0415

    assert aws_ids._table() == aws_ids.generate_from_botocore(), (
        "regenerate with: cd policypack && ../.venv/bin/python -m rules.aws_ids"
    )
    assert aws_ids.id_prefixes("InstanceId", "ec2") == ("i",)  # six services attest `i-`
    assert aws_ids.id_prefixes("VolumeId", "ec2") == ("vol",)  # `volume-` is Deadline's alone
    assert aws_ids.id_prefixes("ApplicationId", "emr-serverless") == ()


def test_create_form_is_stated_only_to_statements_that_create(report):
    found = flagged(report, SCOPED)
    assert not any("may use" in m for m in found["instance-prefix"])  # StopInstances creates none
    assert not any("may use" in m for m in found["create-function-type"])  # names are chosen
    assert any("ec2:CreateNetworkInterface" in m for m in found["create-and-delete-eni"])


@pytest.mark.parametrize(
    ("arn", "scoped"),
    [
        ("arn:aws:s3:::uploads-bucket/${*}", True),  # `${*}` is a literal asterisk
        ("arn:aws:s3:::uploads-bucket${?}", True),
        ("arn:aws:s3:::uploads-bucket/${aws:username}/*", True),
        ("arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0", True),
        ("arn:aws:ec2:us-east-1:123456789012:instance/i-0*", True),  # 1/16th, judged in unions
        ("arn:aws:ec2:us-east-1:123456789012:instance/?-*", False),
        ("arn:aws:ec2:us-east-1:123456789012:instance/I-*", False),
        ("arn:aws:ec2:us-east-1:123456789012:snapshot/snap-*", True),  # snapshots: no account
        ("arn:aws:ec2:us-east-1::snapshot/snap-*", False),
        ("arn:aws:iam::123456789012:role/${aws:PrincipalTag/team}-*", False),
        ("arn:aws:sqs:${aws:RequestedRegion}:123456789012:queue", False),
        ("arn:aws:sqs:us-east-1:123456789012:${aws:username}", False),
        # The caller's own IAM user or MFA device, in any account form AWS's examples use.
        ("arn:aws:iam::*:user/${aws:username}", True),
        ("arn:aws:iam::123456789012:user/${aws:username}", True),
        ("arn:aws:iam::${aws:PrincipalAccount}:user/${aws:username}", True),
        ("arn:aws:iam::*:user/division/${aws:username}", True),
        ("arn:aws:iam::*:mfa/${aws:username}", True),
        # ... but not another name beside it, another type, or a wildcard next to the variable.
        ("arn:aws:iam::*:user/${aws:username}*", False),
        ("arn:aws:iam::*:user/*/${aws:username}", False),
        ("arn:aws:iam::*:role/${aws:username}", False),
        ("arn:aws:iam::*:user/${aws:PrincipalTag/name}", False),
        ("arn:aws:iam:us-east-1:*:user/${aws:username}", False),
    ],
)
def test_breadth_of_one_entry(arn, scoped):
    from policypack.rules.arns import breadth_problem  # noqa: PLC0415

    assert (breadth_problem(arn) is None) is scoped, breadth_problem(arn)
