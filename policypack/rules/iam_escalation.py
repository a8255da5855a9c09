"""`iam-no-privilege-escalation`: no principal may be granted a published escalation path.

The paths are cloudsplaining's `PRIVILEGE_ESCALATION_METHODS` (the Rhino Security Labs methods and
the pathfinding.cloud paths, each a set of actions), not a list kept here. A path is granted when
Allow statements grant every one of its actions, whatever their Resource: `iam:PutRolePolicy` on
the function's own role ARN is how that role makes itself administrator, and `iam:PassRole` on one
exact role still hands that role's permissions to a function the caller writes. Grants are joined
per principal across every document the stack gives it (a role's inline policies, `RolePolicy`s,
customer policies of the stack attached by dependency or by literal ARN), so a path split over two
documents is still found. A Deny for `Resource: "*"` without a condition removes actions; nothing
else does. Credential actions on the caller's own user (`user/${aws:username}`) do not escalate.
A user also holds what the groups it joins (`UserGroupMembership`, `GroupMembership`) grant.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cloudsplaining.shared.constants import (
    PRIVILEGE_ESCALATION_GLOSSARY_URL,
    PRIVILEGE_ESCALATION_METHODS,
    PRIVILEGE_ESCALATION_PATHFINDING_PATHS,
)
from policy_sentry.shared.iam_data import get_service_prefix_data
from pulumi_policy import Severity

from . import identity
from .arns import callers_own_identity
from .framework import Finding, Meta, Resource, Stack
from .iam_data import service_prefixes
from .iam_inputs import granting_policy_arn_inputs, identity_document_inputs
from .values import is_unknown

ESCALATION = Meta(
    name="iam-no-privilege-escalation",
    description="No principal's identity policies grant a published privilege-escalation path "
    "(cloudsplaining's table of Rhino Security Labs and pathfinding.cloud paths).",
    severity=Severity.CRITICAL,
    remediation="Remove the path's actions from the workload's principal (it can otherwise make "
    "itself administrator); grant IAM changes and iam:PassRole with create actions only to a "
    "deployment role, under a permissions boundary.",
    url="https://pathfinding.cloud",
)
POLICY_TYPE = "aws:iam/policy:Policy"
# Inputs through which the SDK's IAM and SSO resources name the principal they apply to.
_PRINCIPAL_INPUTS = (
    "role",
    "roleName",
    "roles",
    "user",
    "userName",
    "users",
    "group",
    "groupName",
    "groups",
    "permissionSetArn",
)
_PRINCIPAL_TYPES = ("aws:iam/role:Role", "aws:iam/user:User", "aws:iam/group:Group")
_MEMBERSHIP_TYPES = (
    "aws:iam/userGroupMembership:UserGroupMembership",
    "aws:iam/groupMembership:GroupMembership",
)


@functools.cache
def escalation_paths() -> dict[str, frozenset[str]]:
    """Path name -> its lower-case actions, from cloudsplaining."""
    return {name: frozenset(actions) for name, actions in PRIVILEGE_ESCALATION_METHODS.items()}


@functools.cache
def _path_actions() -> frozenset[str]:
    return frozenset().union(*escalation_paths().values())


def path_link(name: str) -> str:
    return PRIVILEGE_ESCALATION_PATHFINDING_PATHS.get(name) or (
        f"{PRIVILEGE_ESCALATION_GLOSSARY_URL}#{name}"
    )


@dataclass
class Grants:
    """The escalation-relevant actions a set of documents allows, and whether unknowns hide more."""

    actions: set[str] = field(default_factory=set)
    unknown: bool = False

    def add(self, other: Grants) -> None:
        self.actions |= other.actions
        self.unknown |= other.unknown


def _matched(patterns: Iterable[Any]) -> tuple[set[str], bool]:
    """Path actions matched by action patterns (case-insensitive wildcards); unknown seen."""
    found: set[str] = set()
    unknown = False
    for pattern in patterns:
        if is_unknown(pattern):
            unknown = True
        elif isinstance(pattern, str):
            lowered = pattern.strip().lower()
            found |= {a for a in _path_actions() if fnmatch.fnmatchcase(a, lowered)}
    return found, unknown


def grants_of(resource: Resource) -> Grants:
    """What the resource's own identity documents allow of the escalation paths' actions."""
    grants = Grants()
    denied: set[str] = set()
    for item in identity.statements(resource, ESCALATION.name):
        if isinstance(item, Finding):
            grants.unknown |= item.unknown  # malformed documents are the IAM policies' to report
            continue
        _, statement = item
        if not statement.is_allow:
            if statement.raw.get("Condition") is None and statement.values("Resource") == ["*"]:
                denied |= _matched(_list(statement.values("Action")))[0]
            continue
        if "NotAction" in statement.raw:
            excluded, unknown = _matched(_list(statement.values("NotAction")))
            if unknown or is_unknown(statement.values("NotAction")):
                grants.unknown = True  # what it leaves granted depends on the unknown
            else:
                grants.actions |= _path_actions() - excluded
            continue
        actions = statement.values("Action")
        if is_unknown(actions):
            grants.unknown = True
            continue
        found, unknown = _matched(actions)
        if _only_callers_own_user(statement.values("Resource")):
            found -= _self_service_actions()
        grants.actions |= found
        grants.unknown |= unknown
    grants.actions -= denied
    return grants


@functools.cache
def _self_service_actions() -> frozenset[str]:
    """Path actions that act on an IAM user and nothing else (AWS's table: their only resource
    type is `user`): access keys and login profiles. On the caller's own user they hand it
    credentials for what it already has; on another user they are the escalation. Actions
    that also involve a policy (`iam:AttachUserPolicy`, `iam:PutUserPolicy`) escalate either way.
    """
    iam = get_service_prefix_data("iam")["privileges"]
    by_lower = {name.lower(): info for name, info in iam.items()}
    return frozenset(
        action
        for action in _path_actions()
        if action.startswith("iam:")
        and (info := by_lower.get(action.removeprefix("iam:"))) is not None
        and set(info["resource_types"]) == {"user"}
    )


def _only_callers_own_user(resources: Any) -> bool:
    """Every Resource is the calling user itself: `arn:aws:iam::<account>:user/${aws:username}`
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_iam_credentials_console.html)."""
    return (
        isinstance(resources, list)
        and bool(resources)
        and all(isinstance(r, str) and callers_own_identity(r) == "user" for r in resources)
    )


def _list(value: Any) -> list[Any]:
    return [] if is_unknown(value) else value


def completed_paths(actions: set[str]) -> list[str]:
    """The minimal paths whose actions are all in `actions` (a path that only adds actions to
    another found path is not listed again)."""
    found = {n: a for n, a in escalation_paths().items() if a <= actions}
    return sorted(n for n, a in found.items() if not any(o < a for o in found.values()))


def _describe(names: list[str], limit: int = 6) -> str:
    shown = []
    for name in names[:limit]:
        actions = ", ".join(sorted(_aws_name(a) for a in escalation_paths()[name]))
        shown.append(f"{name} ({actions}; {path_link(name)})")
    more = f"; and {len(names) - limit} more" if len(names) > limit else ""
    return "; ".join(shown) + more


@functools.cache
def _aws_name(action: str) -> str:
    """`iam:putrolepolicy` -> `iam:PutRolePolicy`, as AWS's database spells it."""
    service, _, name = action.partition(":")
    if service in service_prefixes():
        for known in get_service_prefix_data(service)["privileges"]:
            if known.lower() == name:
                return f"{service}:{known}"
    return action


class Principals:
    """Principal key -> the stack's resources granting to it, and their grants."""

    def __init__(self, stack: Stack) -> None:
        self._names: dict[tuple[str, str], str] = {}
        for principal in stack.of_types(_PRINCIPAL_TYPES):
            name = principal.props.get("name")
            if isinstance(name, str):
                self._names[(principal.type, name)] = principal.urn
        self.resources = {r.urn: r for r in stack.resources}
        self._policies_by_name: dict[str, list[Resource]] = {}
        for policy in stack.of_types((POLICY_TYPE,)):
            name, path = policy.props.get("name"), policy.props.get("path") or "/"
            if isinstance(name, str) and isinstance(path, str):
                key = f"{path.lstrip('/')}{name}"
                self._policies_by_name.setdefault(key, []).append(policy)
        self.members: dict[str, list[Resource]] = {}
        for resource in stack.resources:
            if resource.type == POLICY_TYPE:
                continue  # a managed policy grants through its attachments
            grants = (
                resource.type in _PRINCIPAL_TYPES
                or resource.type in identity_document_inputs()
                or resource.type in granting_policy_arn_inputs()
            )
            if grants:
                for key in self._keys(resource):
                    self.members.setdefault(key, []).append(resource)
        # A user holds what its groups grant.
        for membership in stack.of_types(_MEMBERSHIP_TYPES):
            groups = self._keys(membership, ("group", "groups"))
            for user in self._keys(membership, ("user", "users")):
                for group in groups:
                    self.members.setdefault(user, []).extend(self.members.get(group, []))

    def _keys(self, resource: Resource, props: tuple[str, ...] = _PRINCIPAL_INPUTS) -> list[str]:
        if resource.type in _PRINCIPAL_TYPES:
            return [resource.urn]
        keys: list[str] = []
        for prop in props:
            deps = resource.property_dependencies.get(prop, [])
            if deps:
                keys.extend(deps)
                continue
            value = resource.props.get(prop)
            for name in value if isinstance(value, list) else [value]:
                if isinstance(name, str):
                    keys.append(self._by_name(prop, name))
        return keys or [resource.urn]

    def _by_name(self, prop: str, name: str) -> str:
        kind = prop.removesuffix("Name").removesuffix("s")
        token = {"role": _PRINCIPAL_TYPES[0], "user": _PRINCIPAL_TYPES[1]}.get(
            kind, _PRINCIPAL_TYPES[2]
        )
        return self._names.get((token, name), f"{prop}:{name}")

    def attached_policies(self, resource: Resource) -> list[Resource]:
        """The stack's customer-managed policies the resource attaches: by dependency, or by a
        literal ARN whose path and name are a stack policy's (`arn:aws:iam::<account>:policy/x`)."""
        policies = []
        for prop in granting_policy_arn_inputs().get(resource.type, {}):
            for urn in resource.property_dependencies.get(prop, []):
                target = self.resources.get(urn)
                if target is not None and target.type == POLICY_TYPE:
                    policies.append(target)
            value = resource.props.get(prop)
            for arn in value if isinstance(value, list) else [value]:
                if isinstance(arn, str) and ":policy/" in arn:
                    policies.extend(self._policies_by_name.get(arn.split(":policy/", 1)[1], []))
        return policies


def check_privilege_escalation(stack: Stack, _config: dict[str, Any]) -> Iterator[Finding]:
    own: dict[str, Grants] = {}
    for resource in stack.resources:
        if resource.type not in identity_document_inputs():
            continue
        grants = own[resource.urn] = grants_of(resource)
        paths = completed_paths(grants.actions)
        if paths:
            yield Finding(
                f"{resource.label()} grants the privilege-escalation path(s) {_describe(paths)}. "
                "A principal holding it can raise its own permissions; remove these actions "
                "or split them so no principal holds a whole path.",
                resource,
            )
        elif grants.unknown:
            yield Finding(
                f"{resource.label()} has actions unknown until apply, so whether it grants a "
                "privilege-escalation path cannot be checked.",
                resource,
                unknown=True,
            )
    principals = Principals(stack)
    for key, members in principals.members.items():
        sources: list[Resource] = []
        joined = Grants()
        for member in members:
            contributing = [member, *principals.attached_policies(member)]
            for source in contributing:
                grants = own.get(source.urn)
                if grants is not None and (grants.actions or grants.unknown):
                    sources.append(source)
                    joined.add(grants)
        sources = list({s.urn: s for s in sources}.values())
        if len(sources) < 2:
            continue  # one document alone is judged above
        single = set().union(*(completed_paths(own[s.urn].actions) for s in sources))
        paths = [p for p in completed_paths(joined.actions) if p not in single]
        if not paths:
            continue
        target = principals.resources.get(key) or sources[0]
        from_ = ", ".join(s.label() for s in sources)
        yield Finding(
            f"{target.label()} is granted the privilege-escalation path(s) {_describe(paths)} "
            f"by its documents together ({from_}). Remove these actions from the principal.",
            target,
        )
