"""AWS's definition of public through the gate: every statement of programs/public/cases.py in every
resource type that holds a resource policy, every trust case in a role, every Lambda permission
case; a public case is reported on its own URN by the policy for its type, at mandatory level,
naming the statement, the principal and the fix; a non-public case is not reported at all."""

from __future__ import annotations

import importlib.util

import pytest

from .conftest import PROGRAMS, flagged, preview, urn_of

_spec = importlib.util.spec_from_file_location("public_cases", PROGRAMS / "public" / "cases.py")
assert _spec is not None and _spec.loader is not None
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

S3_HOLDERS = {"bucket-policy", "access-point-policy", "object-lambda-ap", "multi-region-ap"}
OTHER_HOLDERS = {
    "sqs-queue-policy",
    "sqs-queue",
    "sns-topic-policy",
    "kms-key",
    "ecr-repository-policy",
    "secret-policy",
    "rest-api-policy",
    "lambda-resource-policy",
}
S3 = "s3-bucket-public-access-blocked"
OTHERS = "resource-policy-not-public"
TRUST = "iam-scoped-resources"
PERMISSION = "lambda-permission-source-scoped"


@pytest.fixture(scope="module")
def report():
    return preview("public")


def _policy(holder: str) -> str:
    return S3 if holder in S3_HOLDERS else OTHERS


def _mandatory(report, policy: str) -> dict[str, list[str]]:
    return flagged(report, policy, level="mandatory")


@pytest.mark.parametrize("holder", sorted(S3_HOLDERS | OTHER_HOLDERS))
@pytest.mark.parametrize("case", sorted(cases.RESOURCE_CASES))
def test_resource_statement_in_every_holder(report, case, holder):
    name = f"{case}--{holder}"
    _statement, public = cases.RESOURCE_CASES[case]
    found = _mandatory(report, _policy(holder))
    if not public:
        assert name not in found, found.get(name)
        return
    assert name in found, f"{_policy(holder)} let {name!r} through"
    (message,) = found[name]
    assert "statement #1 allows" in message
    assert "Name the principals" in message or "pin" in message.lower() or "Add" in message
    urns = {v.urn for v in report.violations if v.urn.endswith(f"::{name}")}
    assert urns == {urn_of(report, name)}


@pytest.mark.parametrize("holder", sorted(S3_HOLDERS | OTHER_HOLDERS))
@pytest.mark.parametrize("case", sorted(cases.DOCUMENT_CASES))
def test_whole_document_in_every_holder(report, case, holder):
    name = f"{case}--{holder}"
    _statements, public = cases.DOCUMENT_CASES[case]
    found = _mandatory(report, _policy(holder))
    assert (name in found) is public, found.get(name)
    if case == "second-statement-public":
        (message,) = found[name]
        assert "statement #2 allows Principal '*'" in message


def test_access_point_name_wildcard_is_public_only_in_access_point_policies(report):
    found = _mandatory(report, S3)
    assert "ap-name-wildcard--access-point-policy" in found
    assert "has a wildcard" in found["ap-name-wildcard--access-point-policy"][0]
    assert "ap-name-wildcard--bucket-policy" not in found


@pytest.mark.parametrize("case", sorted(cases.TRUST_CASES))
def test_trust_policy(report, case):
    _statement, public = cases.TRUST_CASES[case]
    found = {
        name: messages
        for name, messages in _mandatory(report, TRUST).items()
        if any("assumed from outside" in m for m in messages)
    }
    assert (case in found) is public, found.get(case)


@pytest.mark.parametrize(
    ("case", "why"),
    [
        ("github-aud-only", "no condition on token.actions.githubusercontent.com:sub"),
        ("github-sub-owner-wildcard", "does not name one GitHub Actions repository"),
        ("github-sub-variable", "does not name one GitHub Actions repository"),
        ("gitlab-group-wildcard", "does not name one GitLab"),
        ("terraform-organization-only", "does not name one HCP Terraform"),
        ("bitbucket-aud-only", "pipelines-config/identity/oidc:sub"),
        ("circleci-organization-only", "does not name one CircleCI project"),
        ("cognito-no-audience", "cognito-identity.amazonaws.com:aud"),
        ("trust-variable-account", "policy variable"),
    ],
)
def test_trust_messages_name_the_claim_and_the_fix(report, case, why):
    (message,) = _mandatory(report, TRUST)[case]
    assert why in message
    assert "statement #1" in message


@pytest.mark.parametrize("case", sorted(cases.PERMISSION_CASES))
def test_lambda_permission(report, case):
    _args, public = cases.PERMISSION_CASES[case]
    found = _mandatory(report, PERMISSION)
    assert (case in found) is public, found.get(case)
    if public:
        assert "lets the public invoke the function" in found[case][0]


def test_lambda_permission_source_as_policy_variable(report):
    (message,) = _mandatory(report, PERMISSION)["perm-service-variable-arn"]
    assert "policy variable" in message


def test_layer_permissions_and_function_urls(report):
    found = _mandatory(report, OTHERS)
    assert {"layer-everyone", "layer-variable-org", "url-none"} <= set(found)
    assert "policy variable" in found["layer-variable-org"][0]
    assert "authorization_type 'NONE'" in found["url-none"][0]
    assert {"layer-org", "layer-account", "url-iam"}.isdisjoint(found)


def test_event_bus_permissions(report):
    found = _mandatory(report, OTHERS)
    assert {"bus-everyone", "bus-variable-org"} <= set(found)
    assert "policy variable" in found["bus-variable-org"][0]
    assert {"bus-org", "bus-account"}.isdisjoint(found)


def test_nothing_else_is_reported_by_the_public_policies(report):
    expected = {
        f"{case}--{holder}"
        for case, (_s, public) in cases.RESOURCE_CASES.items()
        if public
        for holder in S3_HOLDERS | OTHER_HOLDERS
    } | {
        "ap-name-wildcard--access-point-policy",
        "layer-everyone",
        "layer-variable-org",
        "url-none",
        "bus-everyone",
        "bus-variable-org",
    }
    expected |= {
        f"{case}--{holder}"
        for case, (_s, public) in cases.DOCUMENT_CASES.items()
        if public
        for holder in S3_HOLDERS | OTHER_HOLDERS
    }
    found = set(_mandatory(report, OTHERS)) | {n for n in _mandatory(report, S3) if "--" in n}
    assert found == expected
