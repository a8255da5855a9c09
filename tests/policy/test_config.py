"""Policy config and pack-level exemptions through the gate (same JSON as --policy-pack-config)."""

from __future__ import annotations

import datetime as dt

import pytest

from gate import GateError
from gate.errors import PolicyConfigError

from .conftest import flagged, levels, preview

TODAY = dt.datetime.now(dt.UTC).date()


def days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


REASON = "Legacy queue; owner is being assigned in PLAT-123"
CONFIG = {
    "pack-settings": {
        "exemptions": [
            # 1: valid, by name.
            {
                "policy": "required-tags",
                "resource": "missing-owner",
                "reason": REASON,
                "expires": days(30),
            },
            # 2: expired yesterday: reported, and the finding it covered comes back.
            {
                "policy": "lambda-runtime-supported",
                "resource": (
                    "urn:pulumi:test::policy-resources::aws:lambda/function:Function::python39"
                ),
                "reason": "Migration to python3.13 is scheduled for next sprint",
                "expires": days(-1),
            },
            # 3: reason too short.
            {
                "policy": "kms-key-rotation",
                "resource": "static",
                "reason": "because",
                "expires": days(10),
            },
            # 4: a policy the pack does not have.
            {"policy": "s3-versioning", "resource": "*", "reason": REASON, "expires": days(10)},
            # 5: too far ahead to be a time-limited waiver.
            {
                "policy": "cloudwatch-log-retention",
                "resource": "forever",
                "reason": REASON,
                "expires": "2099-01-01",
            },
            # 6: not a date.
            {
                "policy": "required-tags",
                "resource": "empty-owner",
                "reason": REASON,
                "expires": "31/12/2026",
            },
            # 7: a misspelt key.
            {
                "policy": "required-tags",
                "resource": "lowercase-owner",
                "reason": REASON,
                "expiry": days(5),
            },
            # 8: valid, by URN glob, on a stack policy.
            {
                "policy": "lambda-failure-destination",
                "resource": "urn:pulumi:test::policy-resources::aws:lambda/function:Function::no-*",
                "reason": "Synchronous-only function; async failures cannot occur",
                "expires": days(60),
            },
        ]
    },
    "required-tags": {"requiredKeys": ["Project", "Owner"]},
    "lambda-runtime-supported": {"deprecatedRuntimes": {"python3.13": "2020-01-01"}},
    "s3-bucket-encryption-enabled": {"requireKms": True},
}


@pytest.fixture(scope="module")
def refusal() -> PolicyConfigError:
    """The invalid exemptions make the gate refuse the config (exit 2), keeping the report."""
    with pytest.raises(PolicyConfigError) as caught:
        preview("resources", config=CONFIG)
    return caught.value


@pytest.fixture(scope="module")
def report(refusal):
    return refusal.report


def test_the_packs_config_findings_are_a_config_error(refusal):
    message = str(refusal)
    assert message.startswith(
        "The policy config for pack 'serverless-s3-lambda-guard' is invalid "
        "(pack-settings reports):"
    )
    assert "exemption #3 reason must be a string of at least 10 characters" in message
    assert "exemption #7 has unknown keys expiry" in message


def test_exempted_findings_are_not_applicable_with_their_reason(report):
    assert "missing-owner" not in flagged(report, "required-tags")
    waived = [
        n
        for n in report.not_applicable
        if n.policy == "required-tags" and "exemption #1" in n.reason
    ]
    assert len(waived) == 1
    assert waived[0].urn.endswith("::missing-owner")
    assert REASON in waived[0].reason and days(30) in waived[0].reason


def test_exemption_by_urn_glob_on_a_stack_policy(report):
    # Only the exempted `no-dlq` is waived; the decoy has no exemption.
    assert set(flagged(report, "lambda-failure-destination")) == {"decoy-destination"}
    waived = [n for n in report.not_applicable if n.policy == "lambda-failure-destination"]
    assert (
        len(waived) == 1 and "::no-dlq" in waived[0].reason and "exemption #8" in waived[0].reason
    )


def test_expired_and_malformed_exemptions_are_violations(report):
    # a stack-level finding without a URN is shown on the root stack, as the engine shows it
    problems = flagged(report, "pack-settings")["policy-resources-test"]
    text = "\n".join(problems)
    assert len(problems) == 8  # #4 and #7 have two problems each
    assert (
        "exemption #2 (lambda-runtime-supported on "
        "'urn:pulumi:test::policy-resources::aws:lambda/function:Function::python39') "
        f"expired on {days(-1)}" in text
    )
    assert "exemption #3 reason must be a string of at least 10 characters" in text
    assert "exemption #4 names policy 's3-versioning'" in text
    assert "exemption #4 resource '*' is too wide" in text
    assert "exemption #5" in text and "more than 365 days ahead" in text
    assert "exemption #6 expires must be a date YYYY-MM-DD, got '31/12/2026'" in text
    assert "exemption #7 is missing expires" in text and "unknown keys expiry" in text
    assert levels(report, "pack-settings") == {"mandatory"}


def test_invalid_exemptions_waive_nothing(report):
    assert "python39" in flagged(report, "lambda-runtime-supported")  # #2 expired
    assert "static" in flagged(report, "kms-key-rotation")  # #3 malformed
    assert "forever" in flagged(report, "cloudwatch-log-retention")  # #5 too long
    assert {"empty-owner", "lowercase-owner"} <= set(flagged(report, "required-tags"))  # #6, #7


def test_policy_options(report):
    tags = flagged(report, "required-tags")
    # Only Project and Owner are required now: the bare explicit provider lacks only Project.
    assert "missing tag(s) Project." in tags["explicit-provider-bare"][0]
    assert "python313" in flagged(report, "lambda-runtime-supported")  # deprecatedRuntimes
    assert "trigger-bucket" in flagged(report, "s3-bucket-encryption-enabled")  # requireKms


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"pack-settings": {"onUnknown": "strict"}}, "onUnknown"),
        ({"required-tags": {"requiredKeys": "Owner"}}, "requiredKeys"),
        ({"required-tags": {"requiredKeys": []}}, "requiredKeys"),  # would switch the policy off
        ({"pack-settings": {"onUnknwn": "advisory"}}, "unknown option 'onUnknwn'; allowed"),
        ({"required-tags": {"requiredKey": ["Owner"]}}, "unknown option 'requiredKey'"),
    ],
)
def test_config_outside_the_schema_is_refused_before_analysis(config, expected):
    with pytest.raises(GateError, match=expected):
        preview("resources", config=config)
