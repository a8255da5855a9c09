"""IAM identity policies: scoped resources, no wildcard actions, actions AWS knows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from . import documents, iam_data, identity, public
from .arns import Breadth, judge, union_problem
from .conditions import clauses
from .framework import Finding, Meta, Resource
from .values import contains_unknown, is_unknown

ROLE_TYPE = "aws:iam/role:Role"
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


def check_scoped_resources(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    yield from _managed_attachments(
        resource,
        _AWS_MANAGED,
        "is AWS-managed: its document grants on Resource '*' and AWS changes it at will; "
        "attach a customer-managed policy naming the exact ARNs instead",
    )
    if resource.type == ROLE_TYPE:
        yield from _open_trust(resource)
    entries: list[str] = []  # every statement's entries: prefixes split over statements add up
    union_reported = False
    for item in identity.allow_statements(resource, SCOPED.name):
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
        entries.extend(r for r in resources if isinstance(r, str))
        judged = [
            (r, judge(r) if isinstance(r, str) else Breadth("is not an ARN", "all"))
            for r in resources
            if not is_unknown(r)
        ]
        broad = [(r, b) for r, b in judged if b.problem is not None]
        union = union_problem(r for r in resources if isinstance(r, str))
        if union is not None:
            broad.append(("its Resource entries", Breadth(union, "union")))
            union_reported = True
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
        refused = [
            (r, b)
            for r, b in broad
            if not _creation_scope(b, scoped_actions)
            and not _confined_to_related(b, scoped_actions, statement)
        ]
        if not refused:
            continue
        described = "; ".join(
            f"{r!r} {b.problem}" if b.scope != "union" else f"entries {b.problem}"
            for r, b in refused
        )
        shown = ", ".join(map(str, scoped_actions[:5])) or "(no Action)"
        yield Finding(
            f"{label}: Resource {described}, yet actions {shown} support resource-level "
            "permissions. Replace it with the exact ARNs (for example "
            "arn:aws:s3:::<bucket>/* or arn:aws:logs:<region>:<account>:log-group:<name>:*), "
            "or move '*'-only actions into their own statement."
            + _creation_hint(refused, scoped_actions),
            resource,
            unknown=unknown_effect,
        )
    union = None if union_reported else union_problem(entries)
    if union is not None:
        yield Finding(
            f"{resource.label()}: the Resource entries of its Allow statements {union}; "
            "name the exact resources instead of prefixes that add up to the whole type.",
            resource,
        )


def _creation_scope(breadth: Breadth, actions: list[Any]) -> bool:
    """True when `breadth` is the compliant form for creating a resource whose id AWS generates:
    every resource of that type in a literal region and account, for actions that all create
    that type (the new resource's ARN cannot be known before the call)."""
    format_ = breadth.format
    if breadth.scope != "type" or format_ is None or not format_.aws_generated_id:
        return False
    if not format_.in_account:
        return False  # account-less types (AMIs, snapshots) include other accounts' resources
    return bool(actions) and all(
        isinstance(a, str) and iam_data.creates(a, format_.resource_type) for a in actions
    )


def _shared_related_keys(actions: list[Any], resource_type: str) -> frozenset[str]:
    """Related-resource ARN keys AWS evaluates for every one of `actions` on `resource_type`."""
    keys: frozenset[str] | None = None
    for action in actions:
        if not isinstance(action, str):
            return frozenset()
        mine = iam_data.related_arn_keys(action, resource_type)
        keys = mine if keys is None else keys & mine
    return keys or frozenset()


def _confined_to_related(
    breadth: Breadth, actions: list[Any], statement: documents.Statement
) -> bool:
    """True when a type-wide entry for a type whose ids AWS generates (literal region and
    account) is confined by the statement's Condition to the resources of one related resource:
    a positive `ArnEquals`/`ArnLike`/`StringEquals`/`StringLike` clause (no `...IfExists`, no set
    operator) with fixed ARNs (no wildcard, no `${...}`) on a key that AWS's table types `ARN` and
    evaluates for every action of the statement on that type. Such ids cannot be listed before
    AWS generates them, so this is the narrowest a static policy can write: a VPC function's
    role may delete and re-address the network interfaces of its own VPC
    (`ec2:DeleteNetworkInterface` on `network-interface/*` with `ArnEquals ec2:Vpc <vpc ARN>`).
    """
    format_ = breadth.format
    if breadth.scope != "type" or format_ is None or not format_.aws_generated_id:
        return False
    if not format_.in_account or not actions or not all(isinstance(a, str) for a in actions):
        return False
    keys = {k.lower() for k in _shared_related_keys(actions, format_.resource_type)}
    for clause in clauses(statement.raw.get("Condition")):
        if clause.key_lower not in keys or is_unknown(clause.values) or not clause.values:
            continue
        if clause.op not in ("arnequals", "arnlike", "stringequals", "stringlike"):
            continue
        if all(
            isinstance(v, str) and v.startswith("arn:") and not any(c in v for c in "*?$")
            for v in clause.values
        ):
            return True
    return False


def _creation_hint(refused: list[tuple[Any, Breadth]], actions: list[Any]) -> str:
    """Says the compliant form when an action of the statement creates a type whose ids AWS
    generates (named by a refused entry, or by the action's own resource types)."""
    formats = [b.format for _, b in refused if b.scope == "type" and b.format is not None]
    for action in actions:
        parts = iam_data.split_action(action) if isinstance(action, str) else None
        if parts is not None:
            formats.extend(
                f
                for f in iam_data.arn_formats(parts[0])
                if iam_data.creates(action, f.resource_type)
            )
    for format_ in formats:
        creating = any(
            isinstance(a, str) and iam_data.creates(a, format_.resource_type) for a in actions
        )
        if creating and format_.aws_generated_id and format_.in_account:
            region = "<region>" if format_.regional else ""
            example = f"arn:aws:{format_.service}:{region}:<account>:{format_.type_literal}*"
            creators = iam_data.creators(format_.service, format_.resource_type)
            named = ", ".join(creators[:3]) + (", ..." if len(creators) > 3 else "")
            return (
                f" AWS generates {format_.resource_type} ids, so a statement whose actions all "
                f"create one ({named}) may use {example} with a literal region and account; put "
                "the other actions in a statement naming exact ARNs."
            )
    return _related_hint(refused, actions)


def _related_hint(refused: list[tuple[Any, Breadth]], actions: list[Any]) -> str:
    """How to confine a type-wide entry whose ids AWS generates (see `_confined_to_related`)."""
    for _, breadth in refused:
        format_ = breadth.format
        if breadth.scope != "type" or format_ is None or not format_.aws_generated_id:
            continue
        if not format_.in_account or not all(isinstance(a, str) for a in actions):
            continue
        keys = _shared_related_keys(actions, format_.resource_type)
        if keys:
            shown = ", ".join(sorted(keys)[:4])
            return (
                f" AWS generates {format_.resource_type} ids, so these actions may keep "
                f"{format_.type_literal}* in a literal region and account when the statement's "
                f"Condition names one related resource by a fixed ARN (ArnEquals on {shown})."
            )
    return ""


def _open_trust(role: Resource) -> Iterator[Finding]:
    """A trust policy that lets any AWS principal assume the role grants everything the role has
    to everyone: the widest resource scope there is."""
    document = role.props.get("assumeRolePolicy")
    try:
        items = documents.load_statements(document)
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
    for item in identity.allow_statements(resource, NO_WILDCARD_ACTIONS.name):
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
    unknown: list[str] = []
    for prop, arn in identity.attached_policy_arns(resource):
        if is_unknown(arn):
            unknown.append(prop)
        elif isinstance(arn, str) and pattern.match(arn.strip()):
            yield Finding(f"{resource.label()} {prop} attaches {arn!r}, which {why}.", resource)
    for prop in dict.fromkeys(unknown):
        yield Finding(
            f"{resource.label()} {prop} is unknown until apply, so whether it attaches an "
            "AWS-managed policy cannot be checked.",
            resource,
            unknown=True,
        )


def check_known_actions(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    for item in identity.statements(resource, KNOWN_ACTIONS.name):
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
