"""The team's own program passes the pack with zero findings; the pack describes every policy."""

from __future__ import annotations

import pytest

from gate import run

from .conftest import PACK, REPO

PACK_POLICIES = {
    "s3-bucket-versioning-enabled",
    "s3-bucket-encryption-enabled",
    "s3-bucket-public-access-blocked",
    "iam-scoped-resources",
    "iam-no-wildcard-actions",
    "iam-known-actions",
    "iam-no-privilege-escalation",
    "iam-scoped-resources-joined",
    "iam-user-no-direct-policies",
    "iam-account-trust-conditioned",
    "required-tags",
    "lambda-runtime-supported",
    "lambda-permission-source-scoped",
    "s3-bucket-tls-only",
    "lambda-failure-destination",
    "cloudwatch-log-retention",
    "kms-key-rotation",
    "no-opaque-resources",
    "resource-policy-not-public",
}
ADVISORY = {
    "iam-known-actions",
    "iam-user-no-direct-policies",
    "iam-account-trust-conditioned",
    "s3-bucket-tls-only",
    "lambda-failure-destination",
    "cloudwatch-log-retention",
    "kms-key-rotation",
}


@pytest.fixture(scope="module")
def report():
    if not (REPO / "__main__.py").exists():
        pytest.fail("the project program (__main__.py at the repository root) is missing")
    return run(program=REPO, stack="dev", policy_pack=PACK)


def test_project_program_has_zero_violations(report):
    assert [(v.policy, v.enforcement_level, v.urn, v.message) for v in report.violations] == []
    assert report.exit_code == 0


def test_project_program_is_actually_checked(report):
    types = {r.type for r in report.resources}
    assert {
        "aws:s3/bucket:Bucket",
        "aws:lambda/function:Function",
        "aws:iam/rolePolicy:RolePolicy",
    } <= types
    # Every taggable resource was judged: none of them is reported as not applicable.
    type_of = {r.urn: r.type for r in report.resources}
    skipped = {type_of[n.urn] for n in report.not_applicable if n.policy == "required-tags"}
    assert skipped.isdisjoint({"aws:s3/bucket:Bucket", "aws:lambda/function:Function"})


def test_every_policy_has_level_severity_remediation_and_url(report):
    policies = {p.name: p for p in report.policies}
    assert set(policies) == PACK_POLICIES | {"pack-settings"}
    for name, info in policies.items():
        expected = "advisory" if name in ADVISORY else "mandatory"
        assert info.enforcement_level == expected, name
        assert info.severity and info.remediation_steps and info.url.startswith("https://"), name
