"""Where each violation points: the line at fault, and the other places involved.

A violation is located on the declaration of the resource it was reported on (the registration's
``sourcePosition``, as the SDK records it). A pack that reports a finding caused by a setting on
the setting itself (``BucketVersioning``, ``BucketPublicAccessBlock``, ``RolePolicy``, ...) thus
points at the setting's line, the one a fix changes. The resources whose outputs that resource's
inputs use (its ``propertyDependencies``: the bucket of a bucket setting, the role of a role
policy) are its related locations (SARIF ``relatedLocations``). A stack-level violation, or one on
a resource the program did not declare (a default provider), is located on ``Pulumi.yaml``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .report import Location, Report, Resource, Violation

PROJECT_FILE = "Pulumi.yaml"


def locate(report: Report) -> None:
    """Fill ``file``, ``line`` and ``related`` of every violation in ``report``."""
    report.violations[:] = [_located(report, v) for v in report.violations]


def resource_location(report: Report, resource: Resource) -> Location | None:
    """The declaration of ``resource``, or None when the program did not declare it."""
    position = resource.source_position
    if position is None or resource.default_provider:
        return None
    return Location(
        _relative(position.path, report.program_dir),
        max(position.line, 1),
        f"{resource.type.rsplit(':', 1)[-1]} '{resource.name}'",
        resource.urn,
    )


def _located(report: Report, violation: Violation) -> Violation:
    resource = report.resource(violation.urn) if violation.urn else None
    at = resource_location(report, resource) if resource is not None else None
    if resource is None or at is None:
        return replace(violation, file=PROJECT_FILE, line=None, related=())
    return replace(violation, file=at.file, line=at.line, related=_related(report, resource))


def _related(report: Report, resource: Resource) -> tuple[Location, ...]:
    """The declared resources this one's inputs refer to, once each, by the input naming them."""
    found: dict[str, Location] = {}
    for key, urns in sorted(resource.property_dependencies.items()):
        for urn in urns:
            other = report.resource(urn)
            if other is None or urn == resource.urn or urn in found:
                continue
            at = resource_location(report, other)
            if at is not None:
                found[urn] = replace(at, label=f"{at.label} (its `{key}`)")
    return tuple(found.values())


def _relative(path: str, base: str) -> str:
    """``path`` relative to ``base`` when inside it, else unchanged."""
    if base:
        try:
            return Path(path).relative_to(base).as_posix()
        except ValueError:
            pass
    return path
