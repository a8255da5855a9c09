"""IAM policies through the gate: the project's scoped ARNs pass, every broad grant is caught."""

from __future__ import annotations

import pytest

from .conftest import flagged, levels, preview


@pytest.fixture(scope="module")
def report():
    return preview("iam")


def test_scoped_resources(report):
    found = flagged(report, "iam-scoped-resources")
    assert set(found) == {
        "logs-everywhere",  # arn:aws:logs:*:*:*
        "all-buckets",  # arn:aws:s3:::*
        "all-tables",  # arn:aws:dynamodb:*:*:table/*
        "table-type",  # every table of one account
        "star-mixed",  # '*' with s3:GetObject next to a '*'-only action
        "not-resource",
        "rendered",  # get_policy_document output
        "not-json",
        "admin-attachment",  # every AWS-managed policy grants on Resource '*'
    }
    assert "arn:aws:logs:*:*:*" in found["logs-everywhere"][0]
    assert "s3:GetObject" in found["star-mixed"][0]
    assert "xray" not in found["star-mixed"][0]  # names only the actions that can be scoped
    assert "not valid JSON" in found["not-json"][0]
    assert levels(report, "iam-scoped-resources") == {"mandatory"}


def test_no_wildcard_actions(report):
    found = flagged(report, "iam-no-wildcard-actions")
    assert set(found) == {
        "inline-wildcard",  # s3:* in a role's inline policy
        "rendered",  # s3:Get* rendered by get_policy_document
        "not-action",
        "admin-doc",  # Action "*"
        "admin-attachment",  # AWS-managed AdministratorAccess
        "not-json",
    }
    assert "'s3:*'" in found["inline-wildcard"][0]
    assert "'s3:Get*'" in found["rendered"][0]
    assert levels(report, "iam-no-wildcard-actions") == {"mandatory"}


def test_unknown_actions_are_advisory(report):
    found = flagged(report, "iam-known-actions")
    assert set(found) == {"typo"}
    assert "s3:GetObjekt" in found["typo"][0]
    assert levels(report, "iam-known-actions") == {"advisory"}


def test_project_pattern_and_star_only_actions_pass(report):
    names = {v.urn.rsplit("::", 1)[-1] for v in report.violations}
    assert {"scoped", "star-only-actions", "role"}.isdisjoint(names)
