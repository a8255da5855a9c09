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


_GLOB_CHARS = frozenset("*?[]")
_PROBE_TYPE, _PROBE_NAME = "zz:zz/zz:Zz", "zz-unrelated-7q"
_PROJECT_NAME = re.compile(r"[A-Za-z0-9_.-]+")


def _glob_problem(pattern: str) -> str | None:
    """Why an exemption glob is too wide to be an exemption (None: it names resources).

    A glob that matches a resource of a made-up type and name in the same stack (`*`,
    `urn:*::*`, `urn:pulumi:prod::app::*`) waives the policy for every resource: that is
    switching the policy off, which belongs in its enforcement level, not in a waiver list.
    """
    if pattern.startswith("urn:"):
        parts = pattern.split("::")
        head = parts[0].removeprefix("urn:pulumi:")
        stack = head if not set(head) & _GLOB_CHARS else "zzstack"
        # A project name has no ':' or '/', so `urn:pulumi:*::aws:sqs/queue:Queue::*` puts a
        # type, not a project, in the second field.
        literal_project = len(parts) > 2 and _PROJECT_NAME.fullmatch(parts[1])
        project = parts[1] if literal_project else "zzproj"
        probe = f"urn:pulumi:{stack}::{project}::{_PROBE_TYPE}::{_PROBE_NAME}"
    else:
        probe = _PROBE_NAME
    if fnmatch.fnmatchcase(probe, pattern):
        return (
            "matches every resource; name the resources (e.g. 'legacy-*') or their type, or "
            "disable the policy through its enforcement level if that is really intended"
        )
    return None


_current = PackSettings()


def current() -> PackSettings:
    """The settings from the latest `Configure` call (defaults until the engine configures us)."""
    return _current


def install(settings: PackSettings) -> None:
    global _current  # noqa: PLW0603 - one process serves one configured pack
    _current = settings
