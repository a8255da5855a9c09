"""`iam-scoped-resources-joined`: the name prefixes a principal holds across all its identity
documents must not add up to every resource of a type.

`iam-scoped-resources` judges one resource's documents: 36 entries `arn:aws:s3:::a*/*` ...
`arn:aws:s3:::9*/*` in one document are every bucket. Split over two `RolePolicy`s of one role
(or an inline policy and an attached customer policy, or a user's and its group's), each half
passes alone, yet IAM grants the role the union of its policies
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
This stack policy joins the documents per principal as `iam-no-privilege-escalation` does
(`iam_escalation.Principals`) and judges the union with `arns.union_problem`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import Severity

from . import identity
from .arns import union_problem
from .framework import Finding, Meta, Resource, Stack
from .iam_escalation import Principals
from .iam_inputs import identity_document_inputs
from .values import is_unknown

JOINED = Meta(
    name="iam-scoped-resources-joined",
    description="No principal's identity documents together name every resource of a type "
    "through name prefixes split across them.",
    severity=Severity.HIGH,
    remediation="Name the exact resources the principal needs instead of name prefixes that, "
    "across its policies, add up to the whole resource type.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
)


def _entries(resource: Resource) -> list[str]:
    """Known Resource entries of the resource's Allow statements (unreadable or unknown documents
    are iam-scoped-resources' findings)."""
    found: list[str] = []
    for item in identity.allow_statements(resource, JOINED.name):
        if isinstance(item, Finding) or "NotResource" in item[1].raw:
            continue
        resources = item[1].values("Resource")
        if not is_unknown(resources):
            found.extend(r for r in resources if isinstance(r, str))
    return found


def check_joined_scope(stack: Stack, _config: dict[str, Any]) -> Iterator[Finding]:
    entries = {r.urn: _entries(r) for r in stack.resources if r.type in identity_document_inputs()}
    principals = Principals(stack)
    for key, members in principals.members.items():
        sources = {
            source.urn: source
            for member in members
            for source in (member, *principals.attached_policies(member))
            if entries.get(source.urn)
        }
        if len(sources) < 2:
            continue  # one document alone is judged by iam-scoped-resources
        if any(union_problem(entries[urn]) is not None for urn in sources):
            continue  # already a finding of iam-scoped-resources on that document
        problem = union_problem([e for urn in sources for e in entries[urn]])
        if problem is None:
            continue
        target = principals.resources.get(key) or next(iter(sources.values()))
        from_ = ", ".join(s.label() for s in sources.values())
        yield Finding(
            f"{target.label()} is granted, across its documents ({from_}), Resource entries "
            f"that {problem}. Name the exact resources instead of prefixes that add up to the "
            "whole type.",
            target,
        )
