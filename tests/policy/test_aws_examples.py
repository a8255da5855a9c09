"""AWS's own documented policies pass the pack; the variants beside them that try to slip past
the rule accepting them are reported (programs/aws_examples), in a preview and a fresh one."""

from __future__ import annotations

import pytest

from .conftest import flagged, preview

S3 = "s3-bucket-public-access-blocked"
TRUST = "iam-scoped-resources"
OTHERS = "resource-policy-not-public"

# variant -> (policy, a fragment of its message)
VIOLATIONS = {
    "bad-elb-any-account": (S3, "logdelivery.elasticloadbalancing.amazonaws.com"),
    "bad-elb-whole-bucket": (S3, "no Condition confines it"),
    "bad-elb-star": (S3, "no Condition confines it"),
    "bad-elb-wildcard-before": (S3, "no Condition confines it"),
    "bad-elb-variable-account": (S3, "no Condition confines it"),
    "bad-elb-one-of-two": (S3, "no Condition confines it"),
    "bad-elb-not-resource": (S3, "no Condition confines it"),
    "bad-other-service-by-path": (S3, "delivery.logs.amazonaws.com"),
    "bad-github-repo-prefix": (TRUST, "does not name one GitHub Actions repository"),
    "bad-github-audience-only": (TRUST, "no condition on token.actions.githubusercontent.com:sub"),
    "bad-github-custom-owner-only": (TRUST, "does not name one GitHub Actions repository"),
    "bad-delivery-destination-everyone": (OTHERS, "allows Principal {'AWS': '*'}"),
}
DOCUMENTED = [
    "elb-logs",
    "elb-logs-no-prefix",
    "elb-logs-account",
    "cloudtrail",
    "config",
    "cloudfront-oac",
    "s3-server-access-logs",
    "kms-default-policy",
    "sns-for-s3-events",
    "sqs-for-eventbridge",
    "ecr-cross-account-pull",
    "github-main-branch",
    "github-one-repo",
    "github-custom-claim",
    "delivery-destination-one-account",
]


@pytest.fixture(scope="module", params=[False, True], ids=["preview", "fresh"])
def mandatory(request) -> dict[str, list[str]]:
    report = preview("aws_examples", fresh=request.param)
    found: dict[str, list[str]] = {}
    for policy in {policy for policy, _ in VIOLATIONS.values()} | {
        "resource-policy-not-public",
        "lambda-permission-source-scoped",
    }:
        for name, messages in flagged(report, policy, level="mandatory").items():
            found.setdefault(name, []).extend(f"{policy}: {m}" for m in messages)
    return found


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_variant_is_reported(mandatory, name):
    policy, fragment = VIOLATIONS[name]
    assert name in mandatory, f"{policy} let {name!r} through"
    assert any(m.startswith(f"{policy}: ") and fragment in m for m in mandatory[name]), mandatory[
        name
    ]


@pytest.mark.parametrize("name", DOCUMENTED)
def test_documented_policy_passes(mandatory, name):
    assert name not in mandatory, mandatory.get(name)


def test_nothing_else_is_reported(mandatory):
    assert set(mandatory) == set(VIOLATIONS)
