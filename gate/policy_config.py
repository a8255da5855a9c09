"""Policy configuration as the CLI builds it for ``Configure``.

Mirrors ``ReconcilePolicyPackConfig`` in the Pulumi CLI: every policy starts at its own enforcement
level and its schema defaults, the pack's ``initialConfig`` is applied, then the user's file (the
``--policy-pack-config`` JSON), an ``"all"`` entry first; the result is validated against each
policy's config schema. Levels are case-sensitive, as ``apitype.EnforcementLevel.IsValid`` is
(pulumi/pulumi ``pkg/resource/analyzer/config.go``, ``parsePolicyPackConfig``). A top-level
``environments`` key (Pulumi ESC environment references, which the Pulumi Cloud attaches to a pack's
config) is accepted and not taken for a policy: offline there is no ESC to open, so it is reported
in the notes. The gate is stricter in two places, since a typo there would silently leave a
policy unconfigured: a config entry naming a policy the pack does not have is an error, and so is
an option a policy's declared schema does not list.

A pack may validate its own config further in a policy named ``pack-settings`` (this repository's
pack does: exemptions, their dates and globs). Under ``pulumi preview`` its findings are stack
violations; the gate turns them into the same error as an invalid config (exit 2), so that exit 1
only ever means a violation in the program.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from .errors import GateError
from .report import Report, message_body

LEVELS = ("advisory", "mandatory", "remediate", "disabled")
CONFIG_POLICY = "pack-settings"
"""The policy a pack reports its own config problems with (a convention of this repository)."""
ENVIRONMENTS_KEY = "environments"
"""ESC environment references in a policy config; not a policy name."""


@dataclass
class PolicyConfig:
    """One policy's reconciled configuration."""

    enforcement_level: str
    properties: dict[str, Any] | None = None


@dataclass(frozen=True)
class PolicySchema:
    """What reconciliation needs to know about a policy."""

    name: str
    enforcement_level: str
    properties: dict[str, Any] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)


def load_policy_config(source: Mapping[str, Any] | str | Path | None) -> dict[str, PolicyConfig]:
    """Parse the user's config: a mapping, or a path to the JSON file; GateError when malformed."""
    if source is None:
        return {}
    where = "the policy config"
    if isinstance(source, (str, Path)):
        path = Path(source)
        where = f"the policy config file {path}"
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as err:
            raise GateError(f"Cannot read {where}: {err.strerror or err}.") from err
        except ValueError as err:
            raise GateError(f"{where[0].upper()}{where[1:]} is not valid JSON: {err}.") from err
    else:
        document = dict(source)
    if not isinstance(document, dict):
        raise GateError(
            f"{where[0].upper()}{where[1:]} must be a JSON object mapping policy names to an "
            'enforcement level or an object, e.g. {"policy-name": {"enforcementLevel": '
            '"mandatory"}}.'
        )
    environments = document.pop(ENVIRONMENTS_KEY, None)
    if environments is not None and not (
        isinstance(environments, list) and all(isinstance(e, str) for e in environments)
    ):
        raise GateError(
            f"In {where}, '{ENVIRONMENTS_KEY}' must be a list of ESC environment names "
            f'("project/environment"), not {json.dumps(environments)}.'
        )
    return {name: _entry(name, value, where) for name, value in document.items()}


def config_environments(source: Mapping[str, Any] | str | Path | None) -> list[str]:
    """The ESC environments a policy config names (its ``environments`` key), if any."""
    if source is None:
        return []
    if isinstance(source, (str, Path)):
        try:
            document = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
    else:
        document = dict(source)
    found = document.get(ENVIRONMENTS_KEY) if isinstance(document, dict) else None
    return [e for e in found if isinstance(e, str)] if isinstance(found, list) else []


def _level(value: Any, name: str, where: str) -> str:
    if not isinstance(value, str) or value not in LEVELS:
        raise GateError(
            f"In {where}, policy '{name}' has enforcement level {json.dumps(value)}; "
            f"allowed (lower case, as the CLI requires): {', '.join(LEVELS)}."
        )
    return value


def _entry(name: str, value: Any, where: str) -> PolicyConfig:
    if isinstance(value, str):
        return PolicyConfig(_level(value, name, where))
    if not isinstance(value, dict):
        raise GateError(
            f"In {where}, the entry for '{name}' must be an enforcement level string or an "
            f"object, not {json.dumps(value)}."
        )
    properties = {k: v for k, v in value.items() if k != "enforcementLevel"}
    level = value.get("enforcementLevel")
    return PolicyConfig(_level(level, name, where) if level is not None else "", properties or None)


def _apply(result: dict[str, PolicyConfig], given: Mapping[str, PolicyConfig]) -> None:
    everything = given.get("all")
    if everything is not None and everything.enforcement_level:
        for config in result.values():
            config.enforcement_level = everything.enforcement_level
    for name, config in given.items():
        if name == "all":
            continue
        current = result.setdefault(name, PolicyConfig(""))
        if config.enforcement_level:
            current.enforcement_level = config.enforcement_level
        if config.properties:
            current.properties = {**(current.properties or {}), **config.properties}


def reconcile(
    pack: str,
    policies: list[PolicySchema],
    initial: Mapping[str, PolicyConfig],
    user: Mapping[str, PolicyConfig],
) -> dict[str, PolicyConfig]:
    """The config sent with ``Configure``: one entry per policy; GateError on invalid config."""
    names = {p.name for p in policies}
    unknown = sorted(set(user) - names - {"all"})
    if unknown:
        raise GateError(
            f"The policy config names {', '.join(repr(n) for n in unknown)}, which policy pack "
            f"'{pack}' does not have. Its policies: {', '.join(sorted(names))}."
        )
    result: dict[str, PolicyConfig] = {}
    for policy in policies:
        defaults = {
            key: spec["default"]
            for key, spec in policy.properties.items()
            if isinstance(spec, dict) and "default" in spec
        }
        result[policy.name] = PolicyConfig(policy.enforcement_level, defaults or None)
    _apply(result, initial)
    _apply(result, user)
    errors = _unknown_options(policies, user) + _validate(policies, result)
    if errors:
        raise GateError(
            f"The policy config for pack '{pack}' is invalid: " + "; ".join(errors) + "."
        )
    return result


def _unknown_options(policies: list[PolicySchema], user: Mapping[str, PolicyConfig]) -> list[str]:
    """Options the user set that a policy's declared schema does not list (a policy without a
    schema may read any option, so it is not checked)."""
    errors = []
    for policy in policies:
        given = user.get(policy.name)
        if given is None or not given.properties or not policy.properties:
            continue
        for option in sorted(set(given.properties) - set(policy.properties)):
            errors.append(
                f"{policy.name}: unknown option {option!r}; allowed: "
                f"{', '.join(sorted(policy.properties))}"
            )
    return errors


def config_problems(report: Report) -> str:
    """The pack's own findings about its config, as one error paragraph ("" when none)."""
    descriptions = {(p.policy_pack, p.name): p.description for p in report.policies}
    by_pack: dict[str, list[str]] = {}
    for violation in report.violations:
        if violation.policy == CONFIG_POLICY:
            body = message_body(
                violation.message, descriptions.get((violation.policy_pack, violation.policy), "")
            )
            by_pack.setdefault(violation.policy_pack, []).append(body.strip().rstrip("."))
    return " ".join(
        f"The policy config for pack '{pack}' is invalid ({CONFIG_POLICY} reports): "
        + "; ".join(problems)
        + "."
        for pack, problems in by_pack.items()
    )


def _validate(policies: list[PolicySchema], result: Mapping[str, PolicyConfig]) -> list[str]:
    errors: list[str] = []
    for policy in policies:
        if not policy.properties and not policy.required:
            continue
        schema = {"type": "object", "properties": policy.properties, "required": policy.required}
        properties = result[policy.name].properties or {}
        validator = jsonschema.Draft7Validator(schema)
        for error in sorted(validator.iter_errors(properties), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in error.path)
            errors.append(f"{policy.name}: {where + ': ' if where else ''}{error.message}")
    return errors
