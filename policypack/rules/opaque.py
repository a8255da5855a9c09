"""Resources that can undo every policy: they run code, or deploy what the pack cannot read.

The pack judges typed pulumi-aws resources. A resource that runs commands or API calls of the
program's choosing at deploy time (`command:local:Command`, a dynamic provider, a Lambda
`Invocation`, an SSM `Association`), deploys a template (CloudFormation, Cloud Control, AWS
Native), or comes from a package whose resources the pack knows nothing about, can suspend a
bucket's versioning or attach an admin policy where no policy ever sees it. The rule is decided by
what a resource can do, from `packages.json`: the class of its package, and for pulumi-aws the
types that run code or deploy templates. A package not listed there is unknown and reported, so a
new provider cannot slip past. A reviewed resource is accepted with a pack-settings exemption.

Only custom resources are judged: the engine hands a provider reference with every custom
resource and none with a component (`step_generator.go`, `getProviderResource`), and a component
deploys nothing itself (its children are analyzed one by one).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from pulumi_policy import Severity

from .framework import Finding, Meta, Resource
from .values import is_unknown

DATA_PATH: Final = Path(__file__).with_name("packages.json")
CLASSES: Final = ("checked", "inert", "runs-code", "opaque")
FLAGGED: Final = ("runs-code", "opaque")
MAX_SHOWN: Final = 160  # characters of a command or payload quoted in a message

OPAQUE = Meta(
    name="no-opaque-resources",
    description="No resource runs code or API calls of the program's choosing at deploy time "
    "(commands, dynamic providers, Lambda invocations, SSM associations), deploys a template "
    "the pack cannot read (CloudFormation, Cloud Control, AWS Native), or comes from a package "
    "the pack does not know.",
    severity=Severity.HIGH,
    remediation="Declare the resources with pulumi-aws types (aws.s3.Bucket, aws.iam.Role, ...); "
    "if such a resource is unavoidable, review what it runs or deploys and accept it with a "
    "pack-settings exemption for no-opaque-resources naming it, with the reason and an expiry.",
    url="https://www.pulumi.com/docs/using-pulumi/crossguard/",
)


@dataclass(frozen=True)
class Capability:
    """What a package's (or one pulumi-aws type's) resources can do, and why we say so."""

    cls: str
    reason: str


@functools.cache
def capabilities() -> tuple[dict[str, Capability], dict[str, Capability]]:
    """(package -> capability, pulumi-aws type token -> capability), from `packages.json`."""
    data = json.loads(DATA_PATH.read_text(encoding="utf-8"))
    tables = []
    for key in ("packages", "aws_types"):
        table = {}
        for name, entry in data[key].items():
            if entry["class"] not in CLASSES:
                raise ValueError(f"{DATA_PATH.name}: {name} has class {entry['class']!r}")
            table[name] = Capability(entry["class"], entry["reason"])
        tables.append(table)
    return tables[0], tables[1]


def capability_of(type_token: str) -> Capability | None:
    """The capability of a custom resource's type (None: its package is unknown)."""
    packages, aws_types = capabilities()
    if type_token in aws_types:
        return aws_types[type_token]
    return packages.get(type_token.split(":", 1)[0])


def _shown(value: Any) -> str:
    """A value quoted in a message: text as given (shortened), unknowns named as such."""
    if is_unknown(value):
        return "<unknown until apply>"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    text = " ".join(text.split())
    return repr(text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…")


def _details(resource: Resource) -> str:
    """What the resource runs, in the terms of its type (command text, document, function)."""
    props = resource.props
    package = resource.type.split(":", 1)[0]
    if package == "command":
        parts = [
            f"{key} {_shown(props[key])}" for key in ("create", "update", "delete") if key in props
        ]
        connection = props.get("connection")
        if isinstance(connection, dict) and "host" in connection:
            parts.append(f"on host {_shown(connection['host'])}")
        return "; ".join(parts) or "no command given"
    if package in ("pulumi-python", "pulumi-nodejs"):
        # The engine drops top-level `__` keys before Analyze (analyzer_plugin.go, Analyze:
        # MarshalOptions{SkipInternalKeys: true}), so the pickled `__provider`, and with it the
        # provider's class and code, never reaches a policy pack: say so rather than guess.
        inputs = sorted(k for k in props if not k.startswith("__"))
        return (
            f"inputs: {', '.join(inputs) or 'none'}; its provider class and code are not visible "
            "to a policy pack, as the engine strips the serialized `__provider` before analysis"
        )
    if resource.type == "aws:lambda/invocation:Invocation":
        return (
            f"function {_shown(props.get('functionName'))} with input {_shown(props.get('input'))}"
        )
    if resource.type == "aws:ssm/association:Association":
        parameters = props.get("parameters")
        commands = parameters.get("commands") if isinstance(parameters, dict) else None
        shown = f"document {_shown(props.get('name'))}"
        return shown + (f" with commands {_shown(commands)}" if commands is not None else "")
    type_name = props.get("typeName")
    return type_name if isinstance(type_name, str) else ""


def check_opaque(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    if resource.provider is None:
        return  # a component, a provider or the stack: deploys nothing itself
    capability = capability_of(resource.type)
    if capability is not None and capability.cls not in FLAGGED:
        return
    details = _details(resource)
    detail = f" ({details})" if details else ""
    if capability is None:
        package = resource.type.split(":", 1)[0]
        what = (
            f"is a custom resource of package {package!r}{detail}, which this pack does not "
            "know, so it cannot tell what the resource deploys or runs"
        )
    elif capability.cls == "runs-code":
        what = f"runs code at deploy time{detail}: {capability.reason}"
    else:
        what = f"deploys resources this pack does not read{detail}: {capability.reason}"
    yield Finding(
        f"{resource.label()} {what}. It can switch off what every other policy checks "
        "(suspend versioning, open a bucket, attach an admin policy) where no policy sees it. "
        + OPAQUE.remediation,
        resource,
    )
