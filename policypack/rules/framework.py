"""Turns plain check functions into CrossGuard policies that handle unknowns and exemptions.

A check sees `Resource` views (plain dicts, `UNKNOWN` markers), or a `Stack` of them, and yields
`Finding`s. The wrapper drops findings waived by a `pack-settings` exemption (reporting them as not
applicable with the exemption's reason), prefixes findings that depend on an unknown with
`UNKNOWN_PREFIX` (the analyzer sets their level from `onUnknown`), and reports the rest through the
SDK.

The SDK calls every policy with its own args; inside one `Analyze` or `AnalyzeStack` call (see
`one_call`, which the analyzer wraps around both) the views are built once and shared: one
`Resource` for the resource policies, one `Stack` (and its indexes) for the stack policies.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from . import settings
from .values import plain

UNKNOWN_PREFIX: Final = "cannot verify during preview: "

T = TypeVar("T")


@dataclass(frozen=True)
class Provider:
    type: str
    urn: str
    name: str
    props: dict[str, Any]


@dataclass(frozen=True)
class Resource:
    """What a check may read about one resource: inputs as plain values, links as URNs."""

    type: str
    name: str
    urn: str
    props: dict[str, Any]
    provider: Provider | None = None
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)

    def label(self) -> str:
        return f"{self.type.rsplit(':', 1)[-1]} {self.name!r}"


class Stack:
    """The resources of one stack, with indexes built on first use and kept for later policies.

    Stack policies of one `AnalyzeStack` call share one `Stack`, so an index one policy builds
    (resources by type, settings by the bucket they link to) serves them all, and every policy
    stays linear in the number of resources.
    """

    def __init__(self, resources: Iterable[Resource]) -> None:
        self.resources: tuple[Resource, ...] = tuple(resources)
        self._indexes: dict[Hashable, Any] = {}

    def index(self, key: Hashable, build: Callable[[], T]) -> T:
        """The index named `key`, built by `build()` the first time it is asked for."""
        if key not in self._indexes:
            self._indexes[key] = build()
        return self._indexes[key]

    def of_types(self, types: Collection[str]) -> tuple[Resource, ...]:
        """The resources whose type is in `types`, in stack order."""
        return self.index(
            ("of_types", frozenset(types)),
            lambda: tuple(r for r in self.resources if r.type in types),
        )


@dataclass(frozen=True)
class Finding:
    message: str
    resource: Resource
    unknown: bool = False


class NotApplicable(Exception):  # noqa: N818 - mirrors the SDK's not_applicable()
    """Raised by a check when the policy does not apply to the resource it was given."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Option:
    """One config option: its JSON schema (shown by the CLI), default, and parser."""

    name: str
    schema: dict[str, Any]
    default: Any
    parse: Callable[[Any], Any]


@dataclass(frozen=True)
class Meta:
    name: str
    description: str
    severity: Severity
    remediation: str
    url: str
    level: EnforcementLevel = EnforcementLevel.MANDATORY
    options: tuple[Option, ...] = ()


def parse_options(
    options: Iterable[Option], raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Parse a policy's config; invalid values fall back to the (strict) default."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    known = {o.name: o for o in options}
    for key in sorted(set(raw) - set(known)):
        problems.append(f"unknown option {key!r}; allowed: {', '.join(known) or 'none'}")
    for option in known.values():
        if option.name not in raw:
            values[option.name] = option.default
            continue
        try:
            values[option.name] = option.parse(raw[option.name])
        except ValueError as error:
            problems.append(f"{option.name}: {error}")
            values[option.name] = option.default
    return values, problems


def validator_for(meta: Meta) -> settings.ConfigValidator:
    return lambda raw: parse_options(meta.options, raw)[1]


def _schema(meta: Meta) -> PolicyConfigSchema | None:
    if not meta.options:
        return None
    return PolicyConfigSchema(
        properties={o.name: {**o.schema, "default": o.default} for o in meta.options}
    )


def _provider(sdk_provider: Any) -> Provider | None:
    if sdk_provider is None:
        return None
    return Provider(
        type=sdk_provider.resource_type,
        urn=sdk_provider.urn,
        name=sdk_provider.name,
        props=plain(sdk_provider.props),
    )


def _report(
    meta: Meta,
    findings: Iterable[Finding],
    report_violation: ReportViolation,
    stack: bool,
) -> list[str]:
    """Report non-exempt findings; return the not-applicable reasons of exempt ones."""
    pack = settings.current()
    waived: list[str] = []
    for finding in findings:
        target = finding.resource
        exemption = pack.exemption_for(meta.name, target.urn, target.name)
        if exemption is not None:
            waived.append(f"{target.urn}: {exemption.describe()}")
            continue
        message = (UNKNOWN_PREFIX if finding.unknown else "") + finding.message
        report_violation(message, target.urn if stack else None)
    return waived


ResourceCheck = Callable[[Resource, dict[str, Any]], Iterable[Finding]]
StackCheck = Callable[[Stack, dict[str, Any]], Iterable[Finding]]

# Views already built in the current Analyze/AnalyzeStack call (None outside one).
_call_views: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "call_views", default=None
)


@contextlib.contextmanager
def one_call() -> Iterator[None]:
    """Within this block, policies share the views of the resource(s) being analyzed.

    Only for one engine call: every policy of it is handed the same resources.
    """
    token = _call_views.set({})
    try:
        yield
    finally:
        _call_views.reset(token)


def _shared_view(kind: str, build: Callable[[], T]) -> T:
    views = _call_views.get()
    if views is None:
        return build()
    if kind not in views:
        views[kind] = build()
    return views[kind]


def resource_view(args: ResourceValidationArgs) -> Resource:
    return Resource(
        type=args.resource_type,
        name=args.name,
        urn=args.urn,
        props=plain(args.props),
        provider=_provider(args.provider),
    )


def _sdk_fields(meta: Meta) -> dict[str, Any]:
    """The policy's metadata as the SDK's policy constructors take it (one mapping for both)."""
    return {
        "name": meta.name,
        "description": meta.description,
        "enforcement_level": meta.level,
        "config_schema": _schema(meta),
        "severity": meta.severity,
        "remediation_steps": meta.remediation,
        "url": meta.url,
    }


def resource_policy(meta: Meta, check: ResourceCheck) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        resource = _shared_view("resource", lambda: resource_view(args))
        config, _ = parse_options(meta.options, args.get_config())
        try:
            findings = list(check(resource, config))
        except NotApplicable as skip:
            args.not_applicable(skip.reason)
            return
        waived = _report(meta, findings, report_violation, stack=False)
        if waived:
            args.not_applicable("; ".join(waived))

    return ResourceValidationPolicy(validate=validate, **_sdk_fields(meta))


def stack_view(args: StackValidationArgs) -> Stack:
    # Most resources share one provider object (see analyzer.py): convert each object once.
    providers: dict[int, Provider | None] = {}

    def provider(sdk_provider: Any) -> Provider | None:
        key = id(sdk_provider)  # the objects outlive this call: args holds them
        if key not in providers:
            providers[key] = _provider(sdk_provider)
        return providers[key]

    return Stack(
        Resource(
            type=r.resource_type,
            name=r.name,
            urn=r.urn,
            props=plain(r.props),
            provider=provider(r.provider),
            property_dependencies={
                key: [dep.urn for dep in deps] for key, deps in r.property_dependencies.items()
            },
        )
        for r in args.resources
    )


def stack_policy(meta: Meta, check: StackCheck) -> StackValidationPolicy:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        config, _ = parse_options(meta.options, args.get_config())
        stack = _shared_view("stack", lambda: stack_view(args))
        findings = list(check(stack, config))
        waived = _report(meta, findings, report_violation, stack=True)
        if waived:
            args.not_applicable("; ".join(waived))

    return StackValidationPolicy(validate=validate, **_sdk_fields(meta))


def today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
