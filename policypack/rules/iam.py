"""IAM identity policies: scoped resources, no wildcard actions, actions AWS knows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from . import documents, iam_data, public
from .arns import breadth_problem
from .framework import Finding, Meta, Resource
from .values import contains_unknown, is_unknown

# Identity-policy documents: resource type -> the input holding the document.
DOCUMENT_TYPES = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": "inlinePolicy",
}
ROLE_TYPE = "aws:iam/role:Role"
ATTACHMENT_ARN_PROPS = {
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
    "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns",
    ROLE_TYPE: "managedPolicyArns",
    "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment": "managedPolicyArn",
}
# AWS-managed policies (account `aws`): their documents are AWS's, not the program's, and grant on
# `Resource: "*"` (AWSLambdaBasicExecutionRole: logs:* actions on every log group).
_AWS_MANAGED = re.compile(r"^arn:aws[\w-]*:iam::aws:policy/")
# AWS-managed policies whose documents grant `*`, `<service>:*` or read-everything wildcards.
_BROAD_MANAGED = re.compile(
    r"^arn:aws[\w-]*:iam::aws:policy/(?:.*/)?"
    r"(AdministratorAccess(?:-\w+)?|PowerUserAccess|\w*FullAccess\w*|ReadOnlyAccess|"
    r"ViewOnlyAccess|job-function/\w+)$"
)

SCOPED = Meta(
    name="iam-scoped-resources",
    description="IAM Allow statements name specific resources, not '*', NotResource or ARNs "
    "that wildcard a whole service, region, account or resource type.",
    severity=Severity.HIGH,
    remediation="List the exact ARNs the principal needs (e.g. arn:aws:s3:::<bucket>/*); keep "
    "Resource '*' only in statements whose actions AWS defines without resource types.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
)
NO_WILDCARD_ACTIONS = Meta(
    name="iam-no-wildcard-actions",
    description="IAM Allow statements list exact actions: no '*', '<service>:*', partial "
    "wildcards or NotAction, and no AWS-managed full-access policies.",
    severity=Severity.HIGH,
    remediation="Replace wildcards with the exact actions used (e.g. s3:GetObject), and replace "
    "AWS-managed *FullAccess/AdministratorAccess attachments with a scoped customer policy.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
)
KNOWN_ACTIONS = Meta(
    name="iam-known-actions",
    description="Every action in an IAM statement exists in AWS's IAM action database.",
    severity=Severity.LOW,
    remediation="Fix the action's spelling or service prefix; an unknown action grants nothing "
    "and usually hides a typo in a permission the code needs.",
    url="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    level=EnforcementLevel.ADVISORY,
)


def documents_of(resource: Resource) -> Iterator[tuple[str, Any]]:
    """(where, document) for every identity-policy document in the resource's inputs."""
    if resource.type in DOCUMENT_TYPES:
        prop = DOCUMENT_TYPES[resource.type]
        yield prop, resource.props.get(prop)
    elif resource.type == ROLE_TYPE:
        inline = resource.props.get("inlinePolicies") or []
        if is_unknown(inline):
            yield "inlinePolicies", inline
            return
        for index, item in enumerate(inline):
            if is_unknown(item):
                yield f"inlinePolicies[{index}]", item
                continue
            name = item.get("name")
            where = (
                f"inline policy {name!r}" if isinstance(name, str) else f"inlinePolicies[{index}]"
            )
            if item.get("policy") is not None:
                yield where, item.get("policy")


def _statements(
    resource: Resource, meta: Meta
) -> Iterator[tuple[str, documents.Statement] | Finding]:
    """Each statement with its location; findings for unreadable or unknown documents."""
    for where, document in documents_of(resource):
        try:
            loaded = documents.load(document)
            items = documents.statements(loaded) if not is_unknown(loaded) else loaded
        except documents.InvalidDocumentError as error:
            yield Finding(
                f"{resource.label()} {where} {error}; AWS rejects or misreads it. Provide a "
                "valid policy document (json.dumps of a dict, or "
                "aws.iam.get_policy_document(...).json).",
                resource,
            )
            continue
        if is_unknown(items):
            yield Finding(
                f"{resource.label()} {where} is not known until apply, so {meta.name} cannot "
                "check it; build it from known values or re-run after the first update.",
                resource,
                unknown=True,
            )
            continue
        for statement in items:
            yield where, statement


def _allow_statements(
    resource: Resource, meta: Meta
) -> Iterator[tuple[str, documents.Statement] | Finding]:
    """The statements that may grant (not Deny), each with its label for messages."""
    for item in _statements(resource, meta):
        if isinstance(item, Finding):
            yield item
        elif item[1].is_allow:
            where, statement = item
            yield f"{resource.label()} {where} {statement.label()}", statement


def check_scoped_resources(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    yield from _managed_attachments(
        resource,
        _AWS_MANAGED,
        "is AWS-managed: its document grants on Resource '*' and AWS changes it at will; "
        "attach a customer-managed policy naming the exact ARNs instead",
    )
    if resource.type == ROLE_TYPE:
        yield from _open_trust(resource)
    for item in _allow_statements(resource, SCOPED):
        if isinstance(item, Finding):
            yield item
            continue
        label, statement = item
        unknown_effect = documents.effect_unknown(statement)
        if "NotResource" in statement.raw:
            yield Finding(
                f"{label} uses NotResource, which grants every resource except those listed; "
                "list the allowed resources in Resource instead.",
                resource,
                unknown=unknown_effect,
            )
            continue
        resources = statement.values("Resource")
        if is_unknown(resources):
            yield Finding(f"{label} Resource is unknown until apply.", resource, unknown=True)
            continue
        if not resources:
            yield Finding(f"{label} has no Resource; name the ARNs it applies to.", resource)
            continue
        broad = [
            (r, problem)
            for r in resources
            if not is_unknown(r)
            and (problem := breadth_problem(r) if isinstance(r, str) else "is not an ARN")
        ]
        unknown_resources = any(is_unknown(r) for r in resources)
        if not broad:
            if unknown_resources:
                yield Finding(
                    f"{label} has a Resource that is unknown until apply.", resource, unknown=True
                )
            continue
        actions = statement.values("Action")
        if is_unknown(actions) or contains_unknown(actions):
            yield Finding(
                f"{label} grants {broad[0][0]!r} with actions unknown until apply.",
                resource,
                unknown=True,
            )
            continue
        scoped_actions = [
            a
            for a in actions
            if not (isinstance(a, str) and iam_data.supports_only_wildcard_resource(a))
        ]
        if actions and not scoped_actions:
            continue
        described = "; ".join(f"{r!r} {problem}" for r, problem in broad)
        shown = ", ".join(map(str, scoped_actions[:5])) or "(no Action)"
        yield Finding(
            f"{label}: Resource {described}, yet actions {shown} support resource-level "
            "permissions. Replace it with the exact ARNs (for example "
            "arn:aws:s3:::<bucket>/* or arn:aws:logs:<region>:<account>:log-group:<name>:*), "
            "or move '*'-only actions into their own statement.",
            resource,
            unknown=unknown_effect,
        )


def _open_trust(role: Resource) -> Iterator[Finding]:
    """A trust policy that lets any AWS principal assume the role grants everything the role has
    to everyone: the widest resource scope there is."""
    document = role.props.get("assumeRolePolicy")
    try:
        loaded = documents.load(document)
        items = loaded if is_unknown(loaded) else documents.statements(loaded)
    except documents.InvalidDocumentError as error:
        yield Finding(f"{role.label()} assumeRolePolicy {error}; AWS rejects or misreads it.", role)
        return
    if is_unknown(items):
        yield Finding(f"{role.label()} has a trust policy unknown until apply.", role, True)
        return
    for exposure in public.statements_exposures(items, public.Context.TRUST):
        yield Finding(
            f"{role.label()} may be assumed from outside your accounts: trust policy "
            f"{exposure.message()}",
            role,
            exposure.unknown,
        )


def _action_problem(action: Any) -> str | None:
    if not isinstance(action, str):
        return f"{action!r} is not an action name"
    if action.strip() == "*":
        return "'*' grants every action of every service"
    parts = iam_data.split_action(action)
    if parts is None:
        return f"{action!r} is not of the form <service>:<action>"
    if parts[1] == "*":
        return f"{action!r} grants every {parts[0]} action"
    if any(c in action for c in "*?"):
        count = len(iam_data.matching_actions(action))
        return f"{action!r} is a wildcard ({count} actions today, more as AWS adds them)"
    return None


def check_no_wildcard_actions(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    yield from _managed_attachments(
        resource,
        _BROAD_MANAGED,
        "is AWS-managed and grants wildcard actions; attach a customer-managed policy "
        "listing the exact actions instead",
    )
    for item in _allow_statements(resource, NO_WILDCARD_ACTIONS):
        if isinstance(item, Finding):
            yield item
            continue
        label, statement = item
        unknown_effect = documents.effect_unknown(statement)
        if "NotAction" in statement.raw:
            yield Finding(
                f"{label} uses NotAction, which grants every action except those listed (including "
                "ones AWS adds later); list the allowed actions in Action instead.",
                resource,
                unknown=unknown_effect,
            )
            continue
        actions = statement.values("Action")
        if is_unknown(actions):
            yield Finding(f"{label} Action is unknown until apply.", resource, unknown=True)
            continue
        problems = [p for a in actions if not is_unknown(a) and (p := _action_problem(a))]
        if problems:
            yield Finding(
                f"{label}: {'; '.join(problems)}. List the exact actions the code calls.",
                resource,
                unknown=unknown_effect,
            )
        elif any(is_unknown(a) for a in actions):
            yield Finding(f"{label} has an action unknown until apply.", resource, unknown=True)


def _managed_attachments(
    resource: Resource, pattern: re.Pattern[str], why: str
) -> Iterator[Finding]:
    """Findings for attached policy ARNs matching `pattern`; unknown ARNs cannot be verified."""
    prop = ATTACHMENT_ARN_PROPS.get(resource.type)
    if prop is None:
        return
    value = resource.props.get(prop)
    arns = value if isinstance(value, list) else [value]
    if is_unknown(value) or any(is_unknown(arn) for arn in arns):
        yield Finding(
            f"{resource.label()} {prop} is unknown until apply, so whether it attaches an "
            "AWS-managed policy cannot be checked.",
            resource,
            unknown=True,
        )
    for arn in arns:
        if isinstance(arn, str) and pattern.match(arn.strip()):
            yield Finding(f"{resource.label()} {prop} attaches {arn!r}, which {why}.", resource)


def check_known_actions(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    for item in _statements(resource, KNOWN_ACTIONS):
        if isinstance(item, Finding):
            if item.unknown:
                yield item  # unreadable documents are reported by the mandatory IAM policies
            continue
        where, statement = item
        for key in ("Action", "NotAction"):
            actions = statement.values(key)
            if is_unknown(actions):
                continue
            unknown = [
                a
                for a in actions
                if isinstance(a, str) and a.strip() != "*" and not iam_data.is_known(a)
            ]
            if unknown:
                yield Finding(
                    f"{resource.label()} {where} {statement.label()} {key} "
                    f"{', '.join(map(repr, unknown))} matches no action in AWS's IAM action "
                    "database; check the spelling and service prefix.",
                    resource,
                )
