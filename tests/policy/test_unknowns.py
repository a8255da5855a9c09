"""Unknown values (a first preview, `fresh`): never a crash, never a silent pass."""

from __future__ import annotations

import pytest

from .conftest import preview

PREFIX = "cannot verify during preview: "
EXPECTED = {
    ("s3-bucket-versioning-enabled", "bucket-versioning"),  # status from an output
    # Settings linked by the bucket's id, unknown before the first create: `bucket=b.id` cannot
    # be told from a value computed from it (the versioning status is unknown too).
    ("s3-bucket-versioning-enabled", "bucket"),
    ("s3-bucket-encryption-enabled", "bucket"),
    ("s3-bucket-public-access-blocked", "bucket"),
    ("s3-bucket-public-access-blocked", "bucket-policy"),  # policy built from the bucket ARN
    ("s3-bucket-tls-only", "bucket"),
    ("iam-scoped-resources", "read-bucket"),  # document built from the bucket ARN
    ("iam-no-wildcard-actions", "read-bucket"),
    ("iam-known-actions", "read-bucket"),
    ("iam-no-privilege-escalation", "read-bucket"),
    ("required-tags", "queue"),  # Owner from an output
    ("s3-bucket-public-access-blocked", "bucket-acl"),  # ACL grants from an output
    ("iam-scoped-resources", "attach-read"),  # policy ARN from an output: AWS-managed?
    # Source ARN/account from an output: `bucket.arn` or a widening `bucket.arn.apply(...)`?
    ("lambda-permission-source-scoped", "allow-bucket"),
    ("lambda-permission-source-scoped", "widened-source"),
    ("lambda-permission-source-scoped", "unknown-account"),
    ("iam-no-wildcard-actions", "attach-read"),
    ("resource-policy-not-public", "queue-policy"),  # document built from the bucket ARN
    ("lambda-permission-source-scoped", "org-invoke"),  # principal_org_id from an output
    # Account-wide sharing block states and an endpoint service principal from outputs.
    ("resource-policy-not-public", "ami-block-state"),
    ("resource-policy-not-public", "snapshot-block-state"),
    ("resource-policy-not-public", "endpoint-principal"),
}
ADVISORY_POLICIES = {"s3-bucket-tls-only", "iam-known-actions"}


def findings(report):
    return {(v.policy, v.urn.rsplit("::", 1)[-1]): v for v in report.violations}


@pytest.fixture(scope="module")
def advisory_report():
    return preview("unknowns", fresh=True)


def test_unknowns_are_reported_with_urn_at_advisory_by_default(advisory_report):
    found = findings(advisory_report)
    assert set(found) == EXPECTED
    for violation in found.values():
        assert violation.enforcement_level == "advisory"
        assert violation.urn  # never the SDK's URN-less "can't run policy" diagnostic
        assert PREFIX in violation.message
    assert advisory_report.exit_code == 0


def test_onunknown_mandatory_blocks_on_mandatory_policies():
    report = preview("unknowns", fresh=True, config={"pack-settings": {"onUnknown": "mandatory"}})
    found = findings(report)
    assert set(found) == EXPECTED
    for (policy, _), violation in found.items():
        expected = "advisory" if policy in ADVISORY_POLICIES else "mandatory"
        assert violation.enforcement_level == expected, policy
    assert report.exit_code == 1


def test_once_values_are_known_only_the_widened_source_is_reported():
    report = preview("unknowns")
    found = {(v.policy, v.urn.rsplit("::", 1)[-1], v.enforcement_level) for v in report.violations}
    assert found == {("lambda-permission-source-scoped", "widened-source", "mandatory")}
