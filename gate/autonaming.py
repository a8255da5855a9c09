"""The engine's ``pulumi:autonaming`` stack config: which physical name a resource is given.

Mirrors pulumi/pulumi ``pkg/resource/autonaming/config.go`` (``ParseAutonamingConfig``,
``resolveNamingConfig``: ``mode`` is ``default|verbatim|disabled`` and excludes
``pattern``/``enforce``; unknown keys are refused) and ``sdk/pkg/resource/autonaming/strategy.go``
(``Global.pluginOptionsForResourceType``: a resource type's own entry under its provider wins,
then the provider's, then the root; ``generateName``: ``${name}``, ``${hex(n)}``,
``${alphanum(n)}``, ``${string(n)}``, ``${num(n)}``, ``${uuid}``; stack expressions
``${organization}``/``${org}``, ``${project}``, ``${stack}``, ``${config.key}`` resolved first).
The engine seeds the random parts per resource; the gate seeds them from the URN, so two runs
print the same names.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from .errors import GateError

CONFIG_KEY = "pulumi:autonaming"
_NAMING_KEYS = {"mode", "pattern", "enforce"}
_MODES = ("default", "verbatim", "disabled")
_RANDOM_PARTS = (
    (re.compile(r"\$\{hex\((\d+)\)\}"), "0123456789abcdef"),
    (re.compile(r"\$\{alphanum\((\d+)\)\}"), "abcdefghijklmnopqrstuvwxyz0123456789"),
    (re.compile(r"\$\{string\((\d+)\)\}"), "abcdefghijklmnopqrstuvwxyz"),
    (re.compile(r"\$\{num\((\d+)\)\}"), "0123456789"),
)
_CONFIG_EXPRESSION = re.compile(r"\$\{config\.([^}]+)\}")


@dataclass(frozen=True)
class Naming:
    """One naming strategy: ``mode`` default/verbatim/disabled, or a ``pattern``."""

    mode: str = "default"
    pattern: str | None = None
    enforce: bool = False


@dataclass(frozen=True)
class Autonaming:
    """The resolved config: root strategy, per-provider strategies and per-type overrides."""

    default: Naming = Naming()
    providers: dict[str, Naming | None] = field(default_factory=dict)
    resources: dict[str, dict[str, Naming]] = field(default_factory=dict)

    def naming_for(self, type_: str) -> Naming:
        package = type_.split(":", 1)[0]
        own = self.resources.get(package, {}).get(type_)
        if own is not None:
            return own
        provider = self.providers.get(package)
        return provider if provider is not None else self.default

    def physical_name(self, type_: str, name: str, urn: str) -> tuple[str, str | None]:
        """(mode, name): ``default`` (the provider's own auto-name), ``disabled`` (none), or
        ``propose``/``enforce`` with the name the engine passes to the provider's Check."""
        naming = self.naming_for(type_)
        if naming.pattern is not None:
            return ("enforce" if naming.enforce else "propose"), _generate(
                naming.pattern, name, urn
            )
        if naming.mode == "verbatim":
            return "enforce", name
        return naming.mode, None


def _generate(pattern: str, name: str, urn: str) -> str:
    result = pattern.replace("${name}", name)
    rng = random.Random(hashlib.sha256(urn.encode()).digest())
    for regex, alphabet in _RANDOM_PARTS:
        result = regex.sub(
            lambda m, a=alphabet: "".join(rng.choice(a) for _ in range(int(m[1]))), result
        )
    if "${uuid}" in result:
        result = result.replace("${uuid}", str(uuid.UUID(int=rng.getrandbits(128), version=4)))
    return result


def parse_autonaming(
    config: dict[str, str], organization: str, project: str, stack: str
) -> Autonaming:
    """The stack's ``pulumi:autonaming`` config; GateError naming the entry when it is invalid."""
    text = config.get(CONFIG_KEY)
    if text is None:
        return Autonaming()
    try:
        section = json.loads(text)
    except ValueError:
        section = text
    if not isinstance(section, dict):
        raise GateError(_invalid("must be an object with mode, pattern, enforce or providers"))
    _check_keys(section, _NAMING_KEYS | {"providers"}, CONFIG_KEY)

    def resolve(entry: Any, where: str) -> Naming | None:
        if not isinstance(entry, dict):
            raise GateError(_invalid(f"{where} must be an object"))
        mode, pattern, enforce = entry.get("mode"), entry.get("pattern"), entry.get("enforce")
        if mode is not None and (pattern is not None or enforce is not None):
            raise GateError(_invalid(f"{where}: cannot specify both mode and pattern/enforce"))
        if pattern is not None:
            if not isinstance(pattern, str):
                raise GateError(_invalid(f"{where}.pattern must be a string"))
            return Naming(
                pattern=_stack_expressions(pattern, config, organization, project, stack),
                enforce=enforce is True,
            )
        if mode is None:
            return None
        if mode not in _MODES:
            raise GateError(
                _invalid(f"{where}: invalid naming mode {mode!r} (allowed: {', '.join(_MODES)})")
            )
        return Naming(mode=mode)

    root = resolve({k: v for k, v in section.items() if k != "providers"}, CONFIG_KEY)
    providers: dict[str, Naming | None] = {}
    resources: dict[str, dict[str, Naming]] = {}
    for package, entry in (section.get("providers") or {}).items():
        where = f"{CONFIG_KEY}.providers.{package}"
        if not isinstance(entry, dict):
            raise GateError(_invalid(f"{where} must be an object"))
        _check_keys(entry, _NAMING_KEYS | {"resources"}, where)
        providers[package] = (
            resolve({k: v for k, v in entry.items() if k != "resources"}, where) or Naming()
        )
        for type_, resource_entry in (entry.get("resources") or {}).items():
            resource_where = f"{where}.resources.{type_}"
            if isinstance(resource_entry, dict):
                _check_keys(resource_entry, _NAMING_KEYS, resource_where)
            resources.setdefault(package, {})[type_] = (
                resolve(resource_entry, resource_where) or Naming()
            )
    return Autonaming(root or Naming(), providers, resources)


def _stack_expressions(
    pattern: str, config: dict[str, str], organization: str, project: str, stack: str
) -> str:
    for expression, value in (
        ("${organization}", organization),
        ("${org}", organization),
        ("${project}", project),
        ("${stack}", stack),
    ):
        pattern = pattern.replace(expression, value)

    def config_value(match: re.Match[str]) -> str:
        key = match[1] if ":" in match[1] else f"{project}:{match[1]}"
        if key not in config:
            raise GateError(_invalid(f"the pattern names ${{config.{match[1]}}}, which is not set"))
        return config[key]

    return _CONFIG_EXPRESSION.sub(config_value, pattern)


def _check_keys(entry: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise GateError(
            _invalid(
                f"{where} has unknown key(s) {', '.join(unknown)} (allowed: "
                f"{', '.join(sorted(allowed))})"
            )
        )


def _invalid(detail: str) -> str:
    return (
        f"The stack config {CONFIG_KEY} is invalid, as the engine would refuse it: {detail}. "
        "See https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming-configuration."
    )
