"""KMS: symmetric customer-managed keys rotate their key material."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from .framework import Finding, Meta, Resource
from .values import is_unknown

KEY_TYPE = "aws:kms/key:Key"

KEY_ROTATION = Meta(
    name="kms-key-rotation",
    description="Every symmetric encryption KMS key has automatic key rotation enabled.",
    severity=Severity.MEDIUM,
    remediation="Set enable_key_rotation=True on the aws.kms.Key.",
    url="https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    level=EnforcementLevel.ADVISORY,
)


def check_key_rotation(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    if resource.type != KEY_TYPE:
        return
    usage = resource.props.get("keyUsage", "ENCRYPT_DECRYPT")
    spec = resource.props.get("customerMasterKeySpec", "SYMMETRIC_DEFAULT")
    if is_unknown(usage) or is_unknown(spec):
        yield Finding(
            f"{resource.label()} has a key usage or spec unknown until apply.", resource, True
        )
        return
    if usage != "ENCRYPT_DECRYPT" or spec != "SYMMETRIC_DEFAULT":
        return  # AWS rotates only symmetric encryption keys
    rotation = resource.props.get("enableKeyRotation")
    if is_unknown(rotation):
        yield Finding(
            f"{resource.label()} has enable_key_rotation unknown until apply.", resource, True
        )
    elif rotation is not True:
        yield Finding(
            f"{resource.label()} does not rotate its key material (enable_key_rotation="
            f"{rotation!r}); set enable_key_rotation=True.",
            resource,
        )
