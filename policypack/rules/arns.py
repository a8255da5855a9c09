"""Judges whether an IAM `Resource` entry names specific resources or sweeps a whole scope."""

from __future__ import annotations

import re

from .iam_data import resource_type_prefixes

_WILDCARDS = "*?"
_FIRST_SEPARATOR = re.compile(r"[/:]")


def _has_wildcard(text: str) -> bool:
    return any(c in text for c in _WILDCARDS)


def breadth_problem(resource: str) -> str | None:
    """Why `resource` covers a whole service, region, account or resource type (None: scoped)."""
    if resource.strip() in ("*", ""):
        return "covers every resource in every account"
    parts = resource.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        return "is not an ARN (arn:partition:service:region:account:resource)"
    _, partition, service, region, account, rest = parts
    if _has_wildcard(partition) or _has_wildcard(service) or not service:
        return "wildcards the partition or service"
    if _has_wildcard(region):
        return f"wildcards the region ({region!r})"
    if _has_wildcard(account):
        return f"wildcards the account ({account!r})"
    lead = re.split(r"[*?]", rest, maxsplit=1)[0]
    if not _has_wildcard(rest):
        return None
    if not lead.strip("/:"):
        return f"wildcards every {service} resource ({rest!r})"
    head = lead.rstrip("/:")
    if _FIRST_SEPARATOR.search(head) is None:
        # `function:*`, `function*` and `func*` all match every function: a lead that is a prefix of
        # a resource type word (before any name follows it) covers that whole type.
        covered = sorted(
            t
            for t in resource_type_prefixes(
                service.lower(), regional=bool(region), in_account=bool(account)
            )
            if t.startswith(head)
        )
        if covered:
            kinds = ", ".join(repr(t) for t in covered[:3]) + (", ..." if len(covered) > 3 else "")
            return f"wildcards every {service} {kinds} resource ({rest!r})"
    return None
