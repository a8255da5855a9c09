"""Which condition clauses confine a statement to known callers: AWS's list of keys, with the
operators and the *fixed* values that count (the definition and its sources are in `public.py`).

A clause narrows when its key is one AWS counts, its operator is a positive match (not `Not...`,
not `...IfExists`, not `ForAllValues:`), and every value is fixed: no policy variable (`${...}`,
which IAM fills from the request, so `"aws:SourceAccount": "${aws:SourceAccount}"` is always true)
and no wildcard, except where AWS's model allows one (an ARN whose account field is fixed, an
organization path below a fixed organization id, `AROLEID:*` for `aws:userid`, an access point
name in a bucket policy's `s3:DataAccessPointArn`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final, Literal

from .values import UNKNOWN, contains_unknown, is_unknown

ValueKind = Literal["arn", "account", "string", "orgpath", "ip", "userid", "accesspoint"]

# Keys whose fixed value confines callers, by how their values are judged. Sources: S3 "The
# meaning of public" (aws:SourceIp, aws:SourceArn, aws:SourceVpc, aws:SourceVpce,
# aws:SourceOwner, aws:SourceAccount, s3:x-amz-server-side-encryption-aws-kms-key-id, aws:userid,
# s3:DataAccessPointArn, s3:DataAccessPointAccount, aws:PrincipalOrgID), IAM Access Analyzer's
# filter keys (aws:PrincipalArn, aws:PrincipalOrgPaths, kms:CallerAccount, the web identity
# audience keys) and the AWS global keys that AWS sets from the caller's identity, network path or
# source resource (aws:PrincipalAccount, aws:SourceOrgID, aws:SourceOrgPaths, aws:VpceAccount,
# aws:VpceOrgID, aws:VpceOrgPaths; lambda:EventSourceToken). Sources are cited in public.py.
NARROWING_KEYS: Final[dict[str, ValueKind]] = {
    "aws:principalarn": "arn",
    "aws:sourcearn": "arn",
    "aws:principalaccount": "account",
    "aws:sourceaccount": "account",
    "aws:sourceowner": "account",
    "aws:vpceaccount": "account",
    "kms:calleraccount": "account",
    "s3:dataaccesspointaccount": "account",
    "aws:principalorgid": "string",
    "aws:sourceorgid": "string",
    "aws:vpceorgid": "string",
    "aws:sourcevpc": "string",
    "aws:sourcevpce": "string",
    "lambda:eventsourcetoken": "string",
    "s3:x-amz-server-side-encryption-aws-kms-key-id": "string",
    "cognito-identity.amazonaws.com:aud": "string",
    "accounts.google.com:aud": "string",
    "graph.facebook.com:app_id": "string",
    "www.amazon.com:app_id": "string",
    "aws:principalorgpaths": "orgpath",
    "aws:sourceorgpaths": "orgpath",
    "aws:vpceorgpaths": "orgpath",
    "aws:sourceip": "ip",
    "aws:userid": "userid",
    "s3:dataaccesspointarn": "accesspoint",
}
# Keys that pin the resource a service acts for (AWS's confused-deputy guidance): the only ones
# that confine a service principal, which may act for any of its customers.
SOURCE_KEYS: Final = frozenset(
    {
        "aws:sourcearn",
        "aws:sourceaccount",
        "aws:sourceowner",
        "aws:sourceorgid",
        "aws:sourceorgpaths",
    }
)
# `kms:EncryptionContext:aws:<service>:arn` pins the resource a service encrypts for, as AWS's
# documented key policies for CloudWatch Logs and CloudTrail do
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html,
# https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
_ENCRYPTION_CONTEXT_ARN = re.compile(r"^kms:encryptioncontext:aws:[a-z0-9-]+:arn$")
STRING_OPERATORS: Final = frozenset({"stringequals", "stringequalsignorecase", "stringlike"})
ARN_OPERATORS: Final = frozenset({"arnequals", "arnlike"}) | STRING_OPERATORS
POSITIVE_OPERATORS: Final[dict[ValueKind, frozenset[str]]] = {
    "arn": ARN_OPERATORS,
    "accesspoint": ARN_OPERATORS,
    "account": STRING_OPERATORS,
    "string": STRING_OPERATORS,
    "orgpath": STRING_OPERATORS,
    "userid": STRING_OPERATORS,
    "ip": frozenset({"ipaddress"}),
}
# S3: "Bucket policies that grant access conditioned on the aws:SourceIp condition key with very
# broad IP ranges (for example, 0.0.0.0/1) are evaluated as public. This includes values broader
# than /8 for IPv4 and /32 for IPv6 (excluding RFC1918 private ranges)."
MIN_PREFIX: Final = {4: 8, 6: 32}
_WILDCARDS = ("*", "?")
_ROLE_ID_PATTERN = re.compile(r"^AROA[0-9A-Z]+:\*$")


@dataclass(frozen=True)
class Clause:
    """One `operator: {key: value(s)}` pair of a Condition block."""

    operator: str  # as written
    key: str  # as written
    values: list[Any] | Any  # the values, or UNKNOWN

    @property
    def op(self) -> str:
        return self.operator.lower()

    @property
    def base(self) -> str:
        return self.op.split(":", 1)[-1].removesuffix("ifexists")

    @property
    def key_lower(self) -> str:
        return self.key.lower()

    def label(self) -> str:
        return f"{self.operator} {self.key} {self.values!r}"


def clauses(condition: Any) -> Iterator[Clause]:
    """Every clause of a statement's Condition (an UNKNOWN block yields one unknown clause)."""
    if is_unknown(condition):
        yield Clause("<unknown>", "<unknown>", UNKNOWN)
        return
    if not isinstance(condition, dict):
        return
    for operator, block in condition.items():
        if is_unknown(block):
            yield Clause(operator, "<unknown>", UNKNOWN)
            continue
        if not isinstance(block, dict):
            continue
        for key, value in block.items():
            if contains_unknown(value):
                yield Clause(operator, key, UNKNOWN)
            else:
                yield Clause(operator, key, value if isinstance(value, list) else [value])


def _text(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    return value if isinstance(value, str) else None


def _has_wildcard(text: str) -> bool:
    return any(w in text for w in _WILDCARDS)


def narrowing_kind(key: str, *, service: bool) -> ValueKind | None:
    """How values of `key` are judged when it confines the caller (None: it never does).

    `service`: the grantee is a service principal, which only source keys confine.
    """
    key = key.lower()
    if service:
        if key in SOURCE_KEYS:
            return NARROWING_KEYS[key]
        return "arn" if _ENCRYPTION_CONTEXT_ARN.match(key) else None
    return NARROWING_KEYS.get(key)


NEGATED_OPERATORS: Final = {
    "stringnotequals": "stringequals",
    "stringnotequalsignorecase": "stringequalsignorecase",
    "stringnotlike": "stringlike",
    "arnnotequals": "arnequals",
    "arnnotlike": "arnlike",
    "notipaddress": "ipaddress",
}


def denies_all_but_fixed(clause: Clause) -> bool:
    """A Deny clause that matches every request *not* carrying one of its fixed values (a negated
    operator on a narrowing key; a request without the key matches a negated operator too, see
    the condition-operators page). Such a Deny confines what other statements allow."""
    kind = NARROWING_KEYS.get(clause.key_lower)
    op = clause.op
    if kind is None or ":" in op or is_unknown(clause.values) or not clause.values:
        return False
    positive = NEGATED_OPERATORS.get(op.removesuffix("ifexists"))
    if positive is None or positive not in POSITIVE_OPERATORS[kind]:
        return False
    return values_problem(kind, clause.values) is None


def value_problem(kind: ValueKind, value: Any, *, access_point_policy: bool = False) -> str | None:
    """Why `value` is not a fixed value for a key of `kind` (None: it is fixed)."""
    text = _text(value)
    if text is None or not text.strip():
        return f"{value!r} is not a value"
    if "${" in text:
        return f"{text!r} is a policy variable, which IAM fills from the request (never fixed)"
    if kind in ("arn", "accesspoint"):
        parts = text.split(":", 5)
        if len(parts) < 6 or parts[0].lower() != "arn":
            return f"{text!r} is not an ARN"
        account = parts[4]
        if kind == "accesspoint" and access_point_policy and _has_wildcard(text):
            return f"{text!r} has a wildcard, which makes an access point policy public"
        if account:
            if _has_wildcard(account):
                return f"{text!r} wildcards the account"
            return None
        return f"{text!r} names no account and has a wildcard" if _has_wildcard(text) else None
    if kind == "orgpath":
        head = text.split("/", 1)[0]
        if _has_wildcard(head) or not head:
            return f"{text!r} wildcards the organization id"
        return None
    if kind == "userid" and _ROLE_ID_PATTERN.match(text):
        return None  # one role's sessions (AROLEID:*), as S3 allows
    if kind == "ip":
        try:
            network = ipaddress.ip_network(text.strip(), strict=False)
        except ValueError:
            return f"{text!r} is not an IP range"
        if network.prefixlen < MIN_PREFIX[network.version]:
            return f"{text!r} covers more than a /{MIN_PREFIX[network.version]}"
        return None
    if _has_wildcard(text):
        return f"{text!r} has a wildcard"
    return None


def clause_problem(
    clause: Clause, kind: ValueKind, *, access_point_policy: bool = False
) -> str | None:
    """Why a clause on a narrowing key does not narrow (None: it narrows). Values must be known."""
    op = clause.op
    if op.startswith("forallvalues:"):
        return f"{clause.operator} is true when the request has no {clause.key} at all"
    if op.endswith("ifexists"):
        return f"{clause.operator} lets requests without {clause.key} through"
    if clause.base not in POSITIVE_OPERATORS[kind]:
        return f"{clause.operator} is not a positive match on {clause.key}"
    if not clause.values:
        return f"{clause.key} has no values"
    problem = values_problem(kind, clause.values, access_point_policy=access_point_policy)
    return None if problem is None else f"{clause.key} {problem}"


def values_problem(
    kind: ValueKind, values: list[Any], *, access_point_policy: bool = False
) -> str | None:
    """Why the values of one clause are not all fixed (None: they are).

    IP ranges are also judged together: IAM matches a request against any of them, so the set is
    the union, and S3's /8 (IPv4) and /32 (IPv6) bound applies to the union written as canonical
    CIDR blocks (`ipaddress.collapse_addresses`). `10.0.0.0/8` with `11.0.0.0/8` is
    `10.0.0.0/7`, and the 256 blocks `0.0.0.0/8` ... `255.0.0.0/8` are `0.0.0.0/0`; RFC 1918's
    three ranges stay three blocks.
    """
    for value in values:
        problem = value_problem(kind, value, access_point_policy=access_point_policy)
        if problem is not None:
            return problem
    if kind != "ip":
        return None
    networks = [ipaddress.ip_network((_text(v) or "").strip(), strict=False) for v in values]
    for version in (4, 6):
        same = [n for n in networks if n.version == version]
        for block in ipaddress.collapse_addresses(same):  # type: ignore[type-var]
            if block.prefixlen < MIN_PREFIX[version]:
                return (
                    f"ranges together cover {block}, more than a /{MIN_PREFIX[version]} "
                    "(adjacent ranges merge into one block)"
                )
    return None
