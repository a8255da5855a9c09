"""S3 TLS-only access: every bucket's policy denies requests made without TLS
(``aws:SecureTransport``)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from . import documents
from .framework import Finding, Meta, Resource, Stack
from .s3_policies import POLICY_TYPES, policy_statements
from .s3_settings import BUCKET_TYPES, bucket_links
from .values import contains_unknown, is_unknown

TLS_ONLY = Meta(
    name="s3-bucket-tls-only",
    description="Every S3 bucket's policy denies requests made without TLS (aws:SecureTransport).",
    severity=Severity.MEDIUM,
    remediation="Add a bucket policy statement: Effect Deny, Principal '*', Action 's3:*', "
    "Resource [<bucket arn>, <bucket arn>/*], "
    "Condition {'Bool': {'aws:SecureTransport': 'false'}}.",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
    level=EnforcementLevel.ADVISORY,
)


def _is_everyone(principal: Any) -> bool:
    """Principal `*`, or any principal value with a wildcard (`{"AWS": ["*"]}`,
    `arn:aws:iam::*:root`): AWS reads a bare `*` as everyone and rejects partial wildcards, so
    treating every wildcard as public never lets one through."""
    if isinstance(principal, str):
        return "*" in principal
    if isinstance(principal, dict):
        for value in principal.values():
            values = value if isinstance(value, list) else [value]
            if any(isinstance(v, str) and "*" in v for v in values):
                return True
    return False


def _covers_bucket(statement: documents.Statement, bucket: Resource) -> bool | None:
    """Whether the statement's Resource covers the bucket and its objects (None: unknown).

    A TLS-only Deny copied from another bucket's policy protects that other bucket only.
    """
    resources = statement.values("Resource")
    name = bucket.props.get("bucket")
    if is_unknown(resources) or contains_unknown(resources) or is_unknown(name):
        return None
    if not isinstance(name, str) or not name:
        return None  # an auto-named bucket whose name the engine has not told us
    patterns = [r for r in resources if isinstance(r, str)]

    def covered(target: str) -> bool:
        for pattern in patterns:
            if pattern.strip() == "*":
                return True
            fields = pattern.split(":", 5)
            if len(fields) == 6 and fnmatch.fnmatchcase(f"s3:::{target}", ":".join(fields[2:])):
                return True
        return False

    return covered(name) and covered(f"{name}/any-object")


def _denies_plain_http(statement: documents.Statement, bucket: Resource) -> bool | None:
    raw = statement.raw
    if raw.get("Effect") != "Deny" or not _is_everyone(raw.get("Principal")):
        return False
    covers = _covers_bucket(statement, bucket)
    if covers is not True:
        return covers
    actions = statement.values("Action")
    if is_unknown(actions) or contains_unknown(actions):
        return None
    if not any(isinstance(a, str) and a.lower() in ("s3:*", "*") for a in actions):
        return False
    condition = raw.get("Condition")
    if contains_unknown(condition):
        return None
    if not isinstance(condition, dict):
        return False
    for operator, block in condition.items():
        if operator.lower() not in ("bool", "boolifexists") or not isinstance(block, dict):
            continue
        for key, value in block.items():
            values = value if isinstance(value, list) else [value]
            if key.lower() == "aws:securetransport" and any(
                str(v).lower() == "false" for v in values
            ):
                return True
    return False


def check_tls_only(stack: Stack, _config: dict[str, Any]) -> Iterator[Finding]:
    links = bucket_links(stack, POLICY_TYPES)
    for bucket in stack.of_types(BUCKET_TYPES):
        sources = [bucket, *links.linked_to(bucket)]
        verdicts: list[bool | None] = []
        for source in sources:
            items = policy_statements(source)
            if items is None:
                verdicts.append(None)
            elif isinstance(items, list):
                verdicts.extend(_denies_plain_http(s, bucket) for s in items)
        proved = links.proved(bucket, verdicts)
        if proved is True:
            continue
        if proved is None:
            yield Finding(
                f"bucket {bucket.name!r}: whether its policy denies plain HTTP is unknown "
                "until apply.",
                bucket,
                True,
            )
            continue
        yield Finding(
            f"bucket {bucket.name!r} has no bucket policy statement denying requests without TLS. "
            + TLS_ONLY.remediation,
            bucket,
        )
