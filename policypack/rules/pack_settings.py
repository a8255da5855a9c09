"""The `pack-settings` policy: carries pack-level config and reports what is wrong with it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import (
    PolicyConfigSchema,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from . import settings
from .framework import Meta

PACK_SETTINGS = Meta(
    name=settings.SETTINGS_POLICY,
    description="Pack-level config (onUnknown, exemptions, every policy's options) is valid "
    "and no exemption has expired.",
    severity=Severity.HIGH,
    remediation="Fix the named config entry; renew or remove expired exemptions.",
    url="https://www.pulumi.com/docs/using-pulumi/crossguard/configuration/",
)

SCHEMA: dict[str, dict[str, Any]] = {
    "onUnknown": {
        "type": "string",
        "enum": list(settings.ON_UNKNOWN_LEVELS),
        "default": settings.DEFAULT_ON_UNKNOWN,
        "description": "Level of 'cannot verify during preview' findings.",
    },
    "exemptions": {
        "type": "array",
        "default": [],
        "description": "Waivers: {policy, resource (URN or name glob), reason, expires}.",
        "items": {"type": "object"},
    },
}


def problems() -> Iterator[str]:
    yield from settings.current().problems


def policy() -> StackValidationPolicy:
    def validate(_args: StackValidationArgs, report_violation: ReportViolation) -> None:
        for problem in problems():
            report_violation(f"{problem}.", None)

    return StackValidationPolicy(
        name=PACK_SETTINGS.name,
        description=PACK_SETTINGS.description,
        validate=validate,
        enforcement_level=PACK_SETTINGS.level,
        config_schema=PolicyConfigSchema(properties=SCHEMA),
        severity=PACK_SETTINGS.severity,
        remediation_steps=PACK_SETTINGS.remediation,
        url=PACK_SETTINGS.url,
    )
