"""Red-team bypass attempts through the gate: every attack in programs/bypasses is reported by the
policy it tried to slip past, on its own URN, at mandatory level; the compliant counterparts next
to the attacks are not."""

from __future__ import annotations

import pytest

from .conftest import flagged, preview, urn_of

# (policy, resource, a fragment of the message that says why)
ATTACKS = [
    # S3 linking: one setting feeding two buckets, a setting that depends on a bucket but names
    # another.
    ("s3-bucket-versioning-enabled", "shared-a", "from several buckets"),
    ("s3-bucket-versioning-enabled", "shared-b", "from several buckets"),
    ("s3-bucket-encryption-enabled", "shared-a", "from several buckets"),
    ("s3-bucket-encryption-enabled", "shared-b", "from several buckets"),
    ("s3-bucket-public-access-blocked", "shared-a", "from several buckets"),
    ("s3-bucket-public-access-blocked", "shared-b", "from several buckets"),
    ("s3-bucket-versioning-enabled", "decoy-dependency", "no BucketVersioning with status"),
    ("s3-bucket-encryption-enabled", "decoy-dependency", "no BucketServerSide"),
    ("s3-bucket-public-access-blocked", "decoy-dependency", "no BucketPublicAccessBlock with"),
    # S3 public grants.
    ("s3-bucket-public-access-blocked", "duplicate-principal", "repeats the key 'Principal'"),
    ("s3-bucket-public-access-blocked", "wildcard-account-principal", "allows Principal {'AWS'"),
    ("s3-bucket-public-access-blocked", "lowercase-condition", "unknown element(s) 'condition'"),
    ("s3-bucket-public-access-blocked", "any-distribution", "service principal 'cloudfront"),
    ("s3-bucket-public-access-blocked", "group-uri-variant", "grants access to the group"),
    ("s3-bucket-public-access-blocked", "public-object", "canned ACL 'public-read'"),
    ("s3-bucket-public-access-blocked", "public-object-v2", "canned ACL 'public-read-write'"),
    ("s3-bucket-public-access-blocked", "open-access-point", "allows Principal '*'"),
    ("s3-bucket-public-access-blocked", "open-access-point", "blockPublicAcls, blockPublicPolicy"),
    ("s3-bucket-public-access-blocked", "account-block-off", "blockPublicPolicy, restrict"),
    (
        "s3-bucket-public-access-blocked",
        "open-multi-region-access-point",
        "public access block with blockPublicPolicy not true",
    ),
    # Resources whose contents no policy can see.
    ("no-opaque-resources", "cloud-control-bucket", "(AWS::S3::Bucket)"),
    ("no-opaque-resources", "template-stack", "CloudFormation stack deploys its template"),
    ("no-opaque-resources", "native-bucket", "AWS Native"),
    # IAM.
    ("iam-scoped-resources", "type-prefix-wildcard", "wildcards every lambda 'function'"),
    ("iam-scoped-resources", "duplicate-resource", "repeats the key 'Resource'"),
    ("iam-no-wildcard-actions", "duplicate-resource", "repeats the key 'Resource'"),
    ("iam-scoped-resources", "duplicate-action", "repeats the key 'Action'"),
    ("iam-no-wildcard-actions", "duplicate-action", "repeats the key 'Action'"),
    ("iam-scoped-resources", "managed-basic-execution", "AWS-managed"),
    ("iam-scoped-resources", "managed-read-only", "AWS-managed"),
    ("iam-no-wildcard-actions", "managed-read-only", "grants wildcard actions"),
    ("iam-scoped-resources", "open-trust", "may be assumed from outside your accounts"),
    # Tags.
    ("required-tags", "fake-default-provider", "missing tag(s) Project, Environment, Owner"),
    ("required-tags", "ignored-tag", "ignore_tags drops Owner"),
    # Lambda permissions.
    ("lambda-permission-source-scoped", "rule-prefix-source", "wildcards every events"),
    ("lambda-permission-source-scoped", "any-alexa-skill", "event_source_token"),
    ("resource-policy-not-public", "public-layer", "shares the layer's code"),
    ("resource-policy-not-public", "public-db-snapshot", "sharedAccounts includes 'all'"),
    ("resource-policy-not-public", "public-ami", "group includes 'all'"),
    ("resource-policy-not-public", "public-ssm-document", "account_ids includes"),
    ("resource-policy-not-public", "public-image-distribution", "userGroups includes 'all'"),
    ("resource-policy-not-public", "ami-sharing-unblocked", "state is 'unblocked'"),
    ("resource-policy-not-public", "snapshot-sharing-unblocked", "state is 'unblocked'"),
    ("resource-policy-not-public", "snapshot-new-sharing-blocked", "'block-new-sharing'"),
    ("resource-policy-not-public", "public-endpoint-service", "allowedPrincipals includes '*'"),
    ("resource-policy-not-public", "public-endpoint-principal", "principalArn includes '*'"),
    ("required-tags", "invisible-owner", "empty value(s) for Owner"),
]
COMPLIANT = {
    "own-settings",
    "narrowed-principal",
    "one-distribution",
    "private-object",
    "default-access-point",
    "default-multi-region-access-point",
    "shared-db-snapshot",
    "shared-ami",
    "ami-sharing-blocked",
    "snapshot-sharing-blocked",
    "private-endpoint-service",
    "accepted-endpoint-service",
    "private-endpoint-principal",
    "name-prefix-wildcard",
    "customer-managed",
    "role",
    "one-rule-source",
    "one-alexa-skill",
    "org-layer",
    "own-tls",
}
# Policies whose findings the compliant resources must not have (TLS-only is advisory and
# judged elsewhere; these buckets deliberately have no TLS statement).
JUDGED = {policy for policy, _, _ in ATTACKS}


@pytest.fixture(scope="module")
def report():
    return preview("bypasses")


@pytest.mark.parametrize(("policy", "name", "why"), ATTACKS, ids=lambda v: str(v)[:40])
def test_attack_is_reported_on_its_urn(report, policy, name, why):
    found = flagged(report, policy, level="mandatory")
    assert name in found, f"{policy} let {name!r} through"
    assert any(why in message for message in found[name]), found[name]
    urns = {v.urn for v in report.violations if v.policy == policy and v.urn.endswith(f"::{name}")}
    assert urns == {urn_of(report, name)}


def test_compliant_counterparts_pass(report):
    for policy in JUDGED:
        assert COMPLIANT.isdisjoint(flagged(report, policy)), policy


def test_nothing_else_is_flagged_by_the_judged_policies(report):
    expected = {(policy, name) for policy, name, _ in ATTACKS}
    found = {
        (v.policy, v.urn.rsplit("::", 1)[-1])
        for v in report.violations
        if v.policy in JUDGED and v.enforcement_level == "mandatory"
    }
    assert found - expected == set()


def test_tls_only_deny_must_cover_this_bucket(report):
    found = flagged(report, "s3-bucket-tls-only", level="advisory")
    assert "copied-tls" in found
    assert "own-tls" not in found
