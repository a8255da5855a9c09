"""One evaluator of AWS's definition of a public resource policy, used by every policy of this pack
that judges a principal (bucket and access-point policies, role trust policies, Lambda permissions,
and every other resource policy).

Sources:
- Amazon S3 User Guide, "Blocking public access to your Amazon S3 storage", section "The meaning
  of 'public'" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status):
  S3 assumes a policy is public and counts it non-public only when it grants access to *fixed*
  values ("values that don't contain a wildcard or an AWS Identity and Access Management policy
  variable") of a principal, `aws:SourceIp` CIDRs, `aws:SourceArn`, `aws:SourceVpc`,
  `aws:SourceVpce`, `aws:SourceOwner`, `aws:SourceAccount`,
  `s3:x-amz-server-side-encryption-aws-kms-key-id`, `aws:userid` (outside the pattern
  `AROLEID:*`), `s3:DataAccessPointArn` (a bucket policy may wildcard the access point name when
  the account is fixed; an access point policy may not) and `s3:DataAccessPointAccount`;
  `aws:PrincipalOrgID` is given as an example of a fixed principal; `aws:SourceIp` ranges
  broader than /8 (IPv4) or /32 (IPv6) are public. `{"Federated":
  "graph.facebook.com"}` with no condition is public.
- IAM Access Analyzer, "How IAM Access Analyzer findings work" and "IAM Access Analyzer filter
  keys" (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-filter-keys.html):
  it "considers only certain IAM condition keys that external users cannot directly influence";
  its filter keys name those it reports access under: `aws:PrincipalArn`, `aws:PrincipalOrgID`,
  `aws:PrincipalOrgPaths`, `aws:SourceIp`, `aws:SourceVpc`, `aws:UserId`, `kms:CallerAccount` and
  the web identity audience keys `cognito-identity.amazonaws.com:aud`, `accounts.google.com:aud`,
  `graph.facebook.com:app_id`, `www.amazon.com:app_id`. A principal ARN or account that is fixed
  is access for that one account, not the public, so an
  `ArnLike aws:SourceArn arn:aws:cloudtrail:*:111122223333:trail/*` confines the caller.
- AWS global condition keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
  the other keys of `conditions.NARROWING_KEYS` (`aws:PrincipalAccount`, `aws:SourceOrgID`,
  `aws:SourceOrgPaths`, `aws:VpceAccount`, `aws:VpceOrgID`, `aws:VpceOrgPaths`) and
  `lambda:EventSourceToken` are set by AWS from the caller's identity, network path or source
  resource, never by the caller: the property Access Analyzer requires.
- IAM condition operators (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
  and multivalued keys (.../reference_policies_condition-single-vs-multi-valued-context-keys.html):
  `...IfExists` is true when the key is absent (anonymous requests carry no principal keys);
  `ForAllValues:` is true for an absent or empty key; negated operators match everything else.
  Policy variables (.../reference_policies_variables.html) are replaced by request values.

Rules, per Allow statement (a `Deny` never grants):
- Public principals: `*` (also `{"AWS": "*"}`, any principal value with a wildcard or a policy
  variable), `NotPrincipal` (everyone but the listed), a `Federated` principal outside a trust
  policy, and in trust policies a web identity provider or a multi-tenant OIDC issuer (see
  `federation.py`). Outside trust policies a `Service` principal may act for any customer of the
  service (the confused deputy, https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html),
  so it needs a fixed source key (`aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`,
  `aws:SourceOrgID`, `aws:SourceOrgPaths`). One exception, from the service's own guide: ELB's
  log delivery principal writes only to `[prefix/]AWSLogs/<the load balancer's account>/...` and
  refuses a prefix that contains `AWSLogs`, so a statement whose every Resource lies below a
  literal `AWSLogs/<account>/` is confined to that account's load balancers; AWS's documented
  policy for it has no Condition (`LOG_DELIVERY_BY_PATH`).
- Such a statement is non-public when one clause of its Condition narrows (see `conditions.py`):
  clauses are ANDed, so one that confines the caller confines the statement.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Any, Final

from . import documents, federation
from .conditions import (
    Clause,
    clause_problem,
    clauses,
    denies_all_but_fixed,
    narrowing_kind,
)
from .values import contains_unknown, is_unknown


class Context(enum.Enum):
    """Which kind of policy a statement belongs to (the rules differ slightly)."""

    BUCKET = "bucket policy"
    ACCESS_POINT = "access point policy"
    TRUST = "trust policy"
    RESOURCE = "resource policy"


FIX_EVERYONE: Final = (
    "Name the principals (an account id or role ARN), or add a condition with a fixed value of "
    "aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount, "
    "aws:SourceArn, aws:SourceVpce or aws:SourceIp (StringEquals/ArnLike/IpAddress; no "
    "...IfExists, no ForAllValues:, no wildcard in the account, no ${...} variable)."
)
FIX_SERVICE: Final = (
    "Add a condition pinning the resource the service acts for: a fixed aws:SourceArn or "
    "aws:SourceAccount (StringEquals/ArnLike; no ${...} variable, no wildcard in the account)."
)

# Service principals confined by the object path they write to (see the module docstring), with
# the page that documents the path and the policy.
LOG_DELIVERY_BY_PATH: Final = {
    "logdelivery.elasticloadbalancing.amazonaws.com": (
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html"
    ),
}
# An object ARN below `AWSLogs/<12-digit account>/`, with no wildcard before that account.
_ACCOUNT_LOG_PATH = re.compile(r"^arn:aws[a-z-]*:s3:::[^*?/$]+/(?:[^*?$]*/)?AWSLogs/\d{12}/")


@dataclass(frozen=True)
class Exposure:
    """Why one statement makes its policy public; `message()` names statement, principal,
    condition and fix."""

    statement: str
    principal: str
    reason: str
    fix: str
    unknown: bool = False

    def message(self) -> str:
        text = f"{self.statement} allows {self.principal}: {self.reason}"
        return text if self.unknown else f"{text}. {self.fix}"


@dataclass(frozen=True)
class _Grantee:
    """A principal that needs a condition to be confined."""

    description: str
    kind: str  # everyone | service | oidc | web
    issuer: federation.Issuer | None = None
    provider_path: str = ""
    web: federation.WebIdentity | None = None
    service: str = ""


def _is_open(value: str) -> bool:
    """`*`, a partial wildcard (AWS rejects those, but fail closed) or a policy variable."""
    return "*" in value or "?" in value or "${" in value


def _principal_values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _grantees(raw: dict[str, Any], context: Context) -> list[_Grantee] | None:
    """The statement's principals that need a narrowing condition; None when one is unknown."""
    if "NotPrincipal" in raw:
        listed = raw["NotPrincipal"]
        return [_Grantee(f"NotPrincipal (everyone except {listed!r})", "everyone")]
    principal = raw.get("Principal")
    if principal is None:
        return []  # an identity-policy statement: its principal is whoever holds it
    if contains_unknown(principal):
        return None
    if isinstance(principal, str):
        return [_Grantee(f"Principal {principal!r}", "everyone")] if _is_open(principal) else []
    if not isinstance(principal, dict):
        return [_Grantee(f"Principal {principal!r}", "everyone")]
    found: list[_Grantee] = []
    for kind, value in principal.items():
        for item in _principal_values(value):
            if not isinstance(item, str):
                found.append(_Grantee(f"Principal {kind} {item!r}", "everyone"))
            elif _is_open(item):
                found.append(_Grantee(f"Principal {{{kind!r}: {item!r}}}", "everyone"))
            elif kind == "Service" and context is not Context.TRUST:
                found.append(
                    _Grantee(
                        f"service principal {item!r} (any customer of that service)",
                        "service",
                        service=item.strip().lower(),
                    )
                )
            elif kind == "Federated":
                found.extend(_federated(item, context))
    return found


def _federated(item: str, context: Context) -> list[_Grantee]:
    if context is not Context.TRUST:
        return [_Grantee(f"federated principal {item!r} (any user of that provider)", "everyone")]
    path = federation.oidc_provider_path(item)
    if path is not None:
        issuer = federation.multi_tenant_issuer(path)
        if issuer is None:
            return []  # a single-tenant provider (an EKS cluster, your own IdP)
        who = f"federated principal {item!r} (every {issuer.name} {issuer.unit})"
        return [_Grantee(who, "oidc", issuer=issuer, provider_path=path)]
    web = federation.web_identity(item)
    if web is not None:
        return [_Grantee(f"federated principal {item!r} (every {web.name} user)", "web", web=web)]
    return []  # a SAML provider ARN: your own identity provider


def _narrowing_problem(grantee: _Grantee, found: list[Clause], context: Context) -> str | None:
    """Why no clause confines `grantee` (None: one does). Clauses must be known."""
    if grantee.kind == "oidc" and grantee.issuer is not None:
        return federation.subject_problem(grantee.issuer, grantee.provider_path, found)
    problems: list[str] = []
    for clause in found:
        key = clause.key_lower
        if grantee.kind == "web" and grantee.web is not None:
            kind = "string" if key == grantee.web.key.lower() else None
        else:
            kind = narrowing_kind(key, service=grantee.kind == "service")
        if kind is None:
            continue
        problem = clause_problem(clause, kind, access_point_policy=context is Context.ACCESS_POINT)
        if problem is None:
            return None
        problems.append(problem)
    if problems:
        return "; ".join(problems)
    if found:
        keys = ", ".join(dict.fromkeys(c.key for c in found))
        return f"its condition keys ({keys}) are not ones AWS counts as confining the caller"
    return "no Condition confines it"


def _confined_by_log_path(grantee: _Grantee, raw: dict[str, Any]) -> bool:
    """A log-delivery principal whose every Resource is below one account's `AWSLogs/<account>/`."""
    if grantee.service not in LOG_DELIVERY_BY_PATH or "NotResource" in raw:
        return False
    resources = raw.get("Resource")
    values = resources if isinstance(resources, list) else [resources]
    return bool(values) and all(
        isinstance(v, str) and _ACCOUNT_LOG_PATH.match(v) is not None for v in values
    )


def _could_narrow(grantee: _Grantee, clause: Clause) -> bool:
    """Whether a clause whose values are unknown could confine `grantee` once known."""
    key = clause.key_lower
    if key == "<unknown>":
        return True
    if grantee.kind == "oidc":
        return key == f"{grantee.provider_path}:sub".lower()
    if grantee.kind == "web" and grantee.web is not None:
        return key == grantee.web.key.lower()
    return narrowing_kind(key, service=grantee.kind == "service") is not None


def statement_exposure(statement: documents.Statement, context: Context) -> Exposure | None:
    """Why this statement makes its policy public, or None. Deny statements never grant."""
    raw = statement.raw
    if not statement.is_allow:
        return None
    label = statement.label()
    effect_unknown = documents.effect_unknown(statement)
    grantees = _grantees(raw, context)
    if grantees is None:
        return Exposure(label, "a principal", "its Principal is unknown until apply", "", True)
    if not grantees:
        return None
    found = list(clauses(raw.get("Condition")))
    known = [c for c in found if not is_unknown(c.values)]
    for grantee in grantees:
        problem = _narrowing_problem(grantee, known, context)
        if problem is None or _confined_by_log_path(grantee, raw):
            continue
        if any(_could_narrow(grantee, c) for c in found if is_unknown(c.values)):
            return Exposure(
                label, grantee.description, "under a condition unknown until apply", "", True
            )
        fix = _fix(grantee)
        return Exposure(label, grantee.description, problem, fix, effect_unknown)
    return None


def _fix(grantee: _Grantee) -> str:
    if grantee.kind == "oidc" and grantee.issuer is not None:
        issuer = grantee.issuer
        return (
            f"Add StringEquals or StringLike on {grantee.provider_path}:sub with a value naming "
            f"one {issuer.unit} (e.g. {issuer.example!r})."
        )
    if grantee.kind == "web" and grantee.web is not None:
        return f"Add StringEquals on {grantee.web.key} with your application or pool id."
    if grantee.kind == "service":
        return FIX_SERVICE
    return FIX_EVERYONE


def _guard(statement: documents.Statement) -> bool:
    """A Deny for everyone whose one condition clause exempts only fixed values (the private API
    pattern: Deny `*` unless `aws:SourceVpce` is yours)."""
    raw = statement.raw
    if raw.get("Effect") != "Deny" or "NotPrincipal" in raw or "NotAction" in raw:
        return False
    if "NotResource" in raw:
        return False
    principal = raw.get("Principal")
    everyone = principal == "*" or (
        isinstance(principal, dict) and principal.get("AWS") in ("*", ["*"]) and len(principal) == 1
    )
    found = list(clauses(raw.get("Condition")))
    return everyone and len(found) == 1 and denies_all_but_fixed(found[0])


def _covers(guard: documents.Statement, statement: documents.Statement) -> bool:
    """Whether the guard's Action and Resource include every action and resource the statement
    allows (exact names, or `*`; action names are case-insensitive, resource ARNs are not)."""
    for element in ("Action", "Resource"):
        fold = str.lower if element == "Action" else str
        if f"Not{element}" in statement.raw:
            wanted: set[str] = {"*"}
        else:
            values = statement.values(element)
            if is_unknown(values) or contains_unknown(values):
                return False
            wanted = {fold(str(v)) for v in values}
        have = guard.values(element)
        if is_unknown(have) or contains_unknown(have):
            return False
        have_set = {fold(str(v)) for v in have}
        if "*" not in have_set and not wanted <= have_set:
            return False
    return True


def statements_exposures(items: list[documents.Statement], context: Context) -> list[Exposure]:
    """Exposures of a policy's statements. A public Allow is confined when a Deny for everyone
    covering its actions and resources exempts only fixed values of a narrowing key (IAM Access
    Analyzer reasons over the whole policy, so it reports no public access for such a pair)."""
    guards = [s for s in items if _guard(s)]
    found: list[Exposure] = []
    for statement in items:
        exposure = statement_exposure(statement, context)
        if exposure is None:
            continue
        if not exposure.unknown and any(_covers(g, statement) for g in guards):
            continue
        found.append(exposure)
    return found


def document_exposures(document: Any, context: Context) -> list[Exposure] | None:
    """Exposures of every statement of a policy document (JSON text or object).

    None when the document or its statement list is unknown until apply; raises
    `documents.InvalidDocumentError` when AWS would reject or misread it.
    """
    items = documents.load_statements(document)
    if is_unknown(items):
        return None
    return statements_exposures(items, context)
