"""Advisory IAM findings reviewers expect: policies attached straight to users (Checkov CKV_AWS_40)
and role trust policies that let a whole account assume the role unconditionally (CKV_AWS_61)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from . import documents
from .framework import Finding, Meta, Resource
from .iam_inputs import granting_policy_arn_inputs, identity_document_inputs
from .identity import attached_policy_arns, documents_of
from .values import contains_unknown, is_unknown

ROLE_TYPE = "aws:iam/role:Role"
# The inputs through which the SDK's policy resources name IAM users.
_USER_INPUTS = ("user", "userName", "users")
# `arn:aws:iam::123456789012:root` or the bare account id: the whole account, any principal in it
# its administrators allow (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-accounts).
_ACCOUNT_PRINCIPAL = re.compile(r"^(?:arn:aws[\w-]*:iam::(\d{12}):root|(\d{12}))$")

USER_POLICIES = Meta(
    name="iam-user-no-direct-policies",
    description="IAM users get permissions through groups or roles, not policies attached to "
    "the user (CKV_AWS_40).",
    severity=Severity.LOW,
    remediation="Attach the policy to a group the user belongs to, or let the user assume a "
    "role that carries it.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#use-groups-for-permissions",
    level=EnforcementLevel.ADVISORY,
)
ACCOUNT_TRUST = Meta(
    name="iam-account-trust-conditioned",
    description="A role trust policy that trusts a whole account (its root) carries a condition "
    "that narrows who may assume the role (CKV_AWS_61).",
    severity=Severity.MEDIUM,
    remediation="Trust the specific role or user ARNs that need the role, or add a condition "
    "(aws:PrincipalArn, sts:ExternalId, aws:PrincipalOrgID, MFA) to the statement.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html",
    level=EnforcementLevel.ADVISORY,
)


def check_user_policies(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    if resource.type not in identity_document_inputs() | granting_policy_arn_inputs():
        return
    if (
        next(documents_of(resource), None) is None
        and next(attached_policy_arns(resource), None) is None
    ):
        return  # attaches nothing (an exclusive attachment with an empty list removes them all)
    for prop in _USER_INPUTS:
        value = resource.props.get(prop)
        if value is None or value in ([], ""):
            continue
        users = value if isinstance(value, list) else [value]
        shown = ", ".join("<unknown>" if is_unknown(u) else repr(u) for u in users)
        yield Finding(
            f"{resource.label()} attaches its policy straight to IAM user(s) {shown} "
            f"({prop}); attach it to a group or role instead.",
            resource,
        )


def check_account_trust(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    if resource.type != ROLE_TYPE:
        return
    try:
        items = documents.load_statements(resource.props.get("assumeRolePolicy"))
    except documents.InvalidDocumentError:
        return  # a malformed trust policy is reported by the mandatory IAM policies
    if is_unknown(items):
        return
    for statement in items:
        if not statement.is_allow or statement.raw.get("Condition") is not None:
            continue
        principal = statement.raw.get("Principal")
        if not isinstance(principal, dict):
            continue
        aws = principal.get("AWS")
        if contains_unknown(aws):
            continue
        values = aws if isinstance(aws, list) else [aws]
        accounts = [v for v in values if isinstance(v, str) and _ACCOUNT_PRINCIPAL.match(v)]
        if accounts:
            yield Finding(
                f"{resource.label()} trust policy {statement.label()} lets any principal of "
                f"account(s) {', '.join(map(repr, accounts))} assume the role, with no "
                "condition; name the principals or add a condition.",
                resource,
            )
