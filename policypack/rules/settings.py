"""Pack-level settings: `onUnknown` and `exemptions`, read from the `pack-settings` config key.

CrossGuard hands each policy only its own config, so pack-level settings live under one policy
name, `pack-settings`, exactly like any other policy's config (`--policy-pack-config` JSON,
`initial_config`, or the Pulumi Cloud policy-group UI). The analyzer captures the whole config when
the engine calls `Configure` (see `analyzer.py`) and keeps the parsed result here for every policy.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

SETTINGS_POLICY: Final = "pack-settings"
ON_UNKNOWN_LEVELS: Final = ("advisory", "mandatory")
DEFAULT_ON_UNKNOWN: Final = "advisory"
MAX_EXEMPTION_DAYS: Final = 365
MIN_REASON_CHARS: Final = 10
EXEMPTION_KEYS: Final = ("policy", "resource", "reason", "expires")

ConfigValidator = Callable[[Mapping[str, Any]], list[str]]


@dataclass(frozen=True)
class Exemption:
    """One accepted exemption: findings of `policy` on resources matching `resource` are waived."""

    index: int
    policy: str
    resource: str
    reason: str
    expires: dt.date
    # The `resource` glob, compiled once when the config is parsed (fnmatchcase semantics).
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", re.compile(fnmatch.translate(self.resource)))

    def matches(self, policy: str, urn: str, name: str) -> bool:
        if policy != self.policy:
            return False
        target = urn if self.resource.startswith("urn:") else name
        return self._pattern.match(target) is not None

    def describe(self) -> str:
        return (
            f"exempted by pack-settings exemption #{self.index} (resource {self.resource!r}, "
            f"expires {self.expires.isoformat()}): {self.reason}"
        )


@dataclass(frozen=True)
class PackSettings:
    on_unknown: str = DEFAULT_ON_UNKNOWN
    exemptions: tuple[Exemption, ...] = ()
    problems: tuple[str, ...] = field(default=())
    # Policy name -> its exemptions in config order: a finding is matched against its own only.
    _by_policy: dict[str, tuple[Exemption, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_policy: dict[str, list[Exemption]] = {}
        for exemption in self.exemptions:
            by_policy.setdefault(exemption.policy, []).append(exemption)
        object.__setattr__(
            self, "_by_policy", {policy: tuple(found) for policy, found in by_policy.items()}
        )

    def exemption_for(self, policy: str, urn: str, name: str) -> Exemption | None:
        candidates = self._by_policy.get(policy, ())
        return next((e for e in candidates if e.matches(policy, urn, name)), None)


def parse_settings(
    config: Mapping[str, Mapping[str, Any]],
    validators: Mapping[str, ConfigValidator | None],
    today: dt.date,
) -> PackSettings:
    """Parse the whole pack config; every problem becomes a `pack-settings` violation.

    `validators` maps each policy name in the pack to its config validator (None: takes no
    config). Anything invalid falls back to the strict default, never to a weaker one.
    """
    problems: list[str] = []
    for key in sorted(config):
        if key in (SETTINGS_POLICY, "all"):
            continue
        if key not in validators:
            problems.append(
                f"config key {key!r} names no policy in this pack; "
                f"known policies: {', '.join(sorted(validators))}"
            )
            continue
        validator = validators[key]
        if validator is None:
            problems.extend(f"{key}: unknown option {opt!r}" for opt in sorted(config[key]))
        else:
            problems.extend(f"{key}: {p}" for p in validator(config[key]))

    own = config.get(SETTINGS_POLICY) or {}
    for opt in sorted(set(own) - {"onUnknown", "exemptions"}):
        problems.append(
            f"{SETTINGS_POLICY}: unknown option {opt!r}; allowed: onUnknown, exemptions"
        )

    on_unknown = own.get("onUnknown", DEFAULT_ON_UNKNOWN)
    if on_unknown not in ON_UNKNOWN_LEVELS:
        problems.append(
            f"{SETTINGS_POLICY}: onUnknown is {on_unknown!r}; allowed: "
            f"{' or '.join(ON_UNKNOWN_LEVELS)} (using 'mandatory' until it is fixed)"
        )
        on_unknown = "mandatory"

    exemptions: list[Exemption] = []
    raw_exemptions = own.get("exemptions", [])
    if not isinstance(raw_exemptions, list):
        problems.append(f"{SETTINGS_POLICY}: exemptions must be a list, got {raw_exemptions!r}")
        raw_exemptions = []
    known_policies = set(validators) - {SETTINGS_POLICY}
    for index, raw in enumerate(raw_exemptions, start=1):
        exemption, errors = _parse_exemption(index, raw, known_policies, today)
        problems.extend(errors)
        if exemption is not None:
            exemptions.append(exemption)
    return PackSettings(
        on_unknown=on_unknown, exemptions=tuple(exemptions), problems=tuple(problems)
    )


def _parse_exemption(
    index: int, raw: Any, known_policies: set[str], today: dt.date
) -> tuple[Exemption | None, list[str]]:
    where = f"exemption #{index}"
    if not isinstance(raw, Mapping):
        return None, [f"{where} must be an object with {', '.join(EXEMPTION_KEYS)}; got {raw!r}"]
    errors: list[str] = []
    missing = [k for k in EXEMPTION_KEYS if k not in raw]
    if missing:
        errors.append(f"{where} is missing {', '.join(missing)}")
    extra = sorted(set(raw) - set(EXEMPTION_KEYS))
    if extra:
        errors.append(
            f"{where} has unknown keys {', '.join(extra)}; allowed: {', '.join(EXEMPTION_KEYS)}"
        )
    policy, resource, reason, expires = (raw.get(k) for k in EXEMPTION_KEYS)
    if "policy" in raw and policy not in known_policies:
        errors.append(
            f"{where} names policy {policy!r}, which is not an exemptable policy of this pack; "
            f"choose one of: {', '.join(sorted(known_policies))}"
        )
    if "resource" in raw and (not isinstance(resource, str) or not resource.strip()):
        errors.append(f"{where} resource must be a URN or a resource-name glob, got {resource!r}")
    elif "resource" in raw and (problem := _glob_problem(resource)):
        errors.append(f"{where} resource {resource!r} {problem}")
    if "reason" in raw and (not isinstance(reason, str) or len(reason.strip()) < MIN_REASON_CHARS):
        errors.append(
            f"{where} reason must be a string of at least {MIN_REASON_CHARS} characters "
            f"saying why the finding is accepted, got {reason!r}"
        )
    expiry: dt.date | None = None
    if "expires" in raw:
        try:
            expiry = dt.date.fromisoformat(expires) if isinstance(expires, str) else None
        except ValueError:
            expiry = None
        if expiry is None or len(expires) != 10:
            errors.append(f"{where} expires must be a date YYYY-MM-DD, got {expires!r}")
            expiry = None
        elif expiry < today:
            errors.append(
                f"{where} ({policy} on {resource!r}) expired on {expiry.isoformat()}; "
                "fix the resource, or renew the exemption with a new reason and date"
            )
        elif expiry > today + dt.timedelta(days=MAX_EXEMPTION_DAYS):
            errors.append(
                f"{where} ({policy} on {resource!r}) expires {expiry.isoformat()}, more than "
                f"{MAX_EXEMPTION_DAYS} days ahead; exemptions are time-limited, choose an "
                "earlier date"
            )
    if errors or expiry is None:
        return None, errors
    return Exemption(index, str(policy), str(resource), str(reason).strip(), expiry), []


URN_GLOB_FORM: Final = "urn:pulumi:<stack>::<project>::<type>::<name>"
_TOO_WIDE: Final = (
    "; waiving a policy for a whole class of resources belongs in its enforcement level, not "
    "in a waiver list"
)


def _literal_chars(part: str) -> str:
    """The characters of a glob part that match only themselves (fnmatch syntax).

    `*`, `?` and bracket classes (`[a-z]`, negated `[!z]`) match many characters; a `[` without a
    closing `]` is literal, as in fnmatch.
    """
    literal: list[str] = []
    index = 0
    while index < len(part):
        char = part[index]
        if char in "*?":
            index += 1
            continue
        if char == "[":
            close = part.find(
                "]", index + 2 if part[index + 1 : index + 2] in ("!", "]") else index + 1
            )
            if close != -1:
                index = close + 1
                continue
        literal.append(char)
        index += 1
    return "".join(literal)


# The type name that ends a type token (`Queue` in `aws:sqs/queue:Queue`), written out: a
# wildcard in it (`*u*`, `Q*`, `aws:*`) spans the types of many services.
_TYPE_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def _names_something(part: str) -> bool:
    """A glob part pins what it matches with at least one literal letter or digit."""
    return any(c.isalnum() for c in _literal_chars(part))


def _glob_problem(pattern: str) -> str | None:
    """Why an exemption glob is too wide to be an exemption (None: it names resources).

    The glob is parsed into its parts rather than tried on sample resources. A name glob (no
    `urn:`) must pin the name: `legacy-*` and `zz-*` do; `*`, `?*`, `*-*`, a class-only `[a-z]*`
    or a negated `[!z]*` match every resource, or every one but a few. A URN glob must give all
    four parts, each field in its place, and pin both the type (the name after the type token's
    last `:` written out: `aws:sqs/queue:Queue`, not `aws:*`, `*u*` or `*`) and the resource
    name.
    """
    if not pattern.startswith("urn:"):
        if _names_something(pattern):
            return None
        return (
            "is too wide: it has no literal letter or digit, so it matches every resource "
            f"(or all but a few){_TOO_WIDE}. Name the resources, e.g. 'legacy-*'"
        )
    fields = pattern.split("::", 3)
    if len(fields) < 4 or not fields[0].startswith("urn:pulumi:"):
        return (
            f"is too wide: a URN glob must give all four parts, {URN_GLOB_FORM}; with fewer, "
            f"a wildcard spans several parts and pins neither a type nor a name{_TOO_WIDE}"
        )
    type_part, name_part = fields[2], fields[3]
    if not _TYPE_NAME.fullmatch(type_part.rsplit(":", 1)[-1]):
        return (
            f"is too wide: its type part {type_part!r} names no type{_TOO_WIDE}. Give the type "
            "token (e.g. aws:sqs/queue:Queue), or use a name glob without `urn:`"
        )
    if not _names_something(name_part):
        return (
            f"is too wide: its name part {name_part!r} has no literal letter or digit, so it "
            f"matches every {type_part} resource{_TOO_WIDE}"
        )
    return None


_current = PackSettings()


def current() -> PackSettings:
    """The settings from the latest `Configure` call (defaults until the engine configures us)."""
    return _current


def install(settings: PackSettings) -> None:
    global _current  # noqa: PLW0603 - one process serves one configured pack
    _current = settings
