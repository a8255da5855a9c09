"""Tags, Lambda, CloudWatch Logs and KMS policies through the gate."""

from __future__ import annotations

import pytest

from .conftest import flagged, levels, preview


@pytest.fixture(scope="module")
def report():
    return preview("resources")


def test_required_tags_count_default_tags_and_reject_empty_values(report):
    found = flagged(report, "required-tags")
    assert set(found) == {
        "missing-owner",
        "empty-owner",
        "blank-project",  # a resource tag of blanks overrides the provider's default
        "lowercase-owner",
        "explicit-provider-bare",  # explicit providers do not inherit aws:defaultTags
    }
    assert "missing tag(s) Owner" in found["missing-owner"][0]
    assert "empty value(s) for Owner" in found["empty-owner"][0]
    assert "Project, Environment, ManagedBy" in found["explicit-provider-bare"][0]
    assert levels(report, "required-tags") == {"mandatory"}


def test_required_tags_not_applicable_to_untaggable_types(report):
    skipped = {
        n.urn.rsplit("::", 1)[-1]: n.reason
        for n in report.not_applicable
        if n.policy == "required-tags"
    }
    assert "no tags input" in skipped["s3-scoped"]  # lambda.Permission takes no tags
    assert "trigger-bucket-versioning" in skipped
    assert "owner-on-resource" not in skipped


def test_lambda_runtimes(report):
    found = flagged(report, "lambda-runtime-supported")
    assert set(found) == {"python39", "nodejs18", "unknown-runtime"}
    assert "deprecated since 2025-12-15" in found["python39"][0]
    assert "python3.13" in found["python39"][0]  # suggests a supported runtime of the language
    assert "not in the pack's runtime table" in found["unknown-runtime"][0]


def test_lambda_permissions(report):
    found = flagged(report, "lambda-permission-source-scoped")
    assert set(found) == {"s3-no-account", "anyone", "events-no-source", "sns-every-topic"}
    assert "source_account" in found["s3-no-account"][0]


def test_failure_destination_is_advisory(report):
    found = flagged(report, "lambda-failure-destination")
    # `with-destination` and `destination-by-arn` have an on-failure destination; the invoke
    # config next to `decoy-destination` names another function.
    assert set(found) == {"no-dlq", "decoy-destination"}
    assert levels(report, "lambda-failure-destination") == {"advisory"}


def test_log_retention_and_key_rotation_are_advisory(report):
    assert set(flagged(report, "cloudwatch-log-retention")) == {"forever", "zero-retention"}
    assert set(flagged(report, "kms-key-rotation")) == {"static"}  # `signing` cannot rotate
    assert levels(report, "cloudwatch-log-retention") == {"advisory"}
    assert levels(report, "kms-key-rotation") == {"advisory"}
