"""Federated principals shared by many tenants (`oidc_issuers.json`, with each entry's sources).

A role that trusts GitHub Actions' OIDC provider trusts every workflow of every repository on
GitHub; only its subject claim (`<issuer>:sub`) says which repository. The same holds for GitLab,
HCP Terraform, Bitbucket (per workspace) and CircleCI (per organization), and for the web identity
providers (Cognito, Google, Facebook, Login with Amazon), whose audience key names your app.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from .conditions import STRING_OPERATORS, Clause

TABLE_PATH: Final = Path(__file__).with_name("oidc_issuers.json")


@dataclass(frozen=True)
class Issuer:
    name: str
    issuer: re.Pattern[str]
    subject: re.Pattern[str]
    unit: str
    example: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class WebIdentity:
    name: str
    provider: str
    key: str
    sources: tuple[str, ...]


@functools.cache
def _table() -> tuple[tuple[Issuer, ...], tuple[WebIdentity, ...]]:
    raw = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    issuers = tuple(
        Issuer(
            name=i["name"],
            issuer=re.compile(i["issuer"], re.I),
            subject=re.compile(i["subject"]),
            unit=i["unit"],
            example=i["example"],
            sources=tuple(i["sources"]),
        )
        for i in raw["multi_tenant_oidc"]
    )
    web = tuple(
        WebIdentity(w["name"], w["provider"], w["key"], tuple(w["sources"]))
        for w in raw["web_identity"]
    )
    return issuers, web


def issuers() -> tuple[Issuer, ...]:
    return _table()[0]


def web_identities() -> tuple[WebIdentity, ...]:
    return _table()[1]


def oidc_provider_path(federated: str) -> str | None:
    """`token.actions.githubusercontent.com` from `arn:aws:iam::<acct>:oidc-provider/<path>`."""
    parts = federated.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[5].startswith("oidc-provider/"):
        return parts[5].removeprefix("oidc-provider/")
    return None


def multi_tenant_issuer(provider_path: str) -> Issuer | None:
    return next((i for i in issuers() if i.issuer.match(provider_path)), None)


def web_identity(federated: str) -> WebIdentity | None:
    return next((w for w in web_identities() if w.provider == federated.strip().lower()), None)


def subject_problem(issuer: Issuer, provider_path: str, found: list[Clause]) -> str | None:
    """Why the statement's conditions do not pin `<provider>:sub` to one repository/project.

    Pinned: some clause on that key uses a positive string operator (`StringEquals`,
    `StringEqualsIgnoreCase`, `StringLike`, also under `ForAnyValue:`; not `...IfExists`, not
    `ForAllValues:`) and every value names one `unit` by the issuer's subject pattern, with no
    policy variable. Values must be known (the caller handles unknowns).
    """
    key = f"{provider_path}:sub".lower()
    on_key = [c for c in found if c.key_lower == key]
    if not on_key:
        return (
            f"no condition on {provider_path}:sub, so every {issuer.name} {issuer.unit} "
            "can assume it"
        )
    for clause in on_key:
        op = clause.op
        if op.startswith("forallvalues:") or op.endswith("ifexists"):
            continue
        if clause.base not in STRING_OPERATORS or not clause.values:
            continue
        if all(
            isinstance(v, str) and "${" not in v and issuer.subject.match(v) for v in clause.values
        ):
            return None
    shown = ", ".join(c.label() for c in on_key)
    return f"{shown} does not name one {issuer.name} {issuer.unit}"
