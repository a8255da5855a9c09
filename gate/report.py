"""The gate's result: the resources it saw, what the policy packs said about them, the verdict."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from google.protobuf import json_format
from google.protobuf.struct_pb2 import Struct

EnforcementLevel = Literal["mandatory", "advisory"]


@dataclass(frozen=True)
class SourcePosition:
    """Where the program declared a resource (from the registration's ``sourcePosition``)."""

    uri: str
    line: int
    column: int = 0

    @property
    def path(self) -> str:
        """The file path without the ``file://`` scheme."""
        return self.uri.removeprefix("file://")


@dataclass
class Resource:
    """One resource registration, as the engine recorded it.

    ``inputs`` (what ``Analyze`` sees) and ``outputs`` (what ``AnalyzeStack`` sees) are the
    engine's property maps with camelCase names; unknowns are the engine's unknown marker and
    secrets its secret envelope. They are kept as the protobuf Structs the pack is sent and turned
    into dicts on first use.
    """

    urn: str
    type: str
    name: str
    custom: bool
    inputs_struct: Struct
    outputs_struct: Struct
    parent: str
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    provider: str
    source_position: SourcePosition | None
    options: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    default_provider: bool = False  # registered by the engine, not by the program

    @cached_property
    def inputs(self) -> dict[str, Any]:
        return json_format.MessageToDict(self.inputs_struct)

    @property
    def outputs(self) -> dict[str, Any]:
        return json_format.MessageToDict(self.outputs_struct)


@dataclass(frozen=True)
class Location:
    """A place in the program's source: ``file`` relative to the program directory when inside
    it (else absolute), ``line`` 1-based (None: the whole file); ``label`` says what is there."""

    file: str
    line: int | None
    label: str = ""
    urn: str = ""


@dataclass(frozen=True)
class BuiltDocument:
    """A JSON document a provider function returned (``aws.iam.get_policy_document``'s ``json``)
    and where the program called that function."""

    token: str
    text: str
    source_position: SourcePosition


@dataclass(frozen=True)
class Violation:
    """One diagnostic a policy reported; ``urn`` is empty for a stack-level diagnostic.

    ``file`` and ``line`` are the line at fault (see ``gate.locations``): the declaration of the
    resource reported on, or of the document it was built from; ``related`` are the other places
    involved (the bucket a setting belongs to, the role a document is attached to).
    """

    policy_pack: str
    policy: str
    enforcement_level: EnforcementLevel
    severity: str
    urn: str
    message: str
    file: str | None = None
    line: int | None = None
    related: tuple[Location, ...] = ()


@dataclass(frozen=True)
class NotApplicable:
    """A policy that declared itself not applicable to a resource (or to the stack: urn "")."""

    policy_pack: str
    policy: str
    urn: str
    reason: str


# A not-applicable answer whose reason starts with "exempted" (after an optional "<URN>: ", which a
# stack policy adds since its answer carries no URN) is a finding waived by the pack's own
# exemption list: the report lists it as an exempted finding, not as "not applicable".
_EXEMPTED = re.compile(r"^(?:(?P<urn>urn:pulumi:\S+): )?(?P<reason>exempted\b.*)$", re.S | re.I)


@dataclass(frozen=True)
class Exempted:
    """A finding the pack waived through an exemption, with the exemption's own words."""

    policy_pack: str
    policy: str
    urn: str
    reason: str


@dataclass(frozen=True)
class PolicyInfo:
    """What a pack says about one of its policies (used by SARIF and JUnit)."""

    policy_pack: str
    name: str
    description: str
    enforcement_level: str
    severity: str = ""
    url: str = ""
    remediation_steps: str = ""
    display_name: str = ""


@dataclass
class Report:
    """Everything a gate run found; ``exit_code`` is the CLI's verdict."""

    project: str
    stack: str
    resources: list[Resource] = field(default_factory=list)
    policy_packs: list[tuple[str, str]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # shown first: the run is not what was asked
    policies: list[PolicyInfo] = field(default_factory=list)
    program_dir: str = ""
    built_documents: list[BuiltDocument] = field(default_factory=list)
    _index: dict[str, Resource] = field(default_factory=dict, repr=False, compare=False)

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement_level == "mandatory"]

    @property
    def advisory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement_level == "advisory"]

    @property
    def disabled(self) -> list[PolicyInfo]:
        """Policies the config disabled: they checked nothing."""
        return [p for p in self.policies if p.enforcement_level == "disabled"]

    @property
    def exempted(self) -> list[Exempted]:
        """Findings waived by an exemption (the pack answered "not applicable: exempted ...")."""
        found = []
        for item in self.not_applicable:
            match = _EXEMPTED.match(item.reason)
            if match:
                urn = item.urn or match["urn"] or ""
                found.append(Exempted(item.policy_pack, item.policy, urn, match["reason"]))
        return found

    @property
    def inapplicable(self) -> list[NotApplicable]:
        """Not-applicable answers that are not exemptions."""
        return [n for n in self.not_applicable if not _EXEMPTED.match(n.reason)]

    @property
    def exit_code(self) -> int:
        """1 when at least one mandatory violation, else 0."""
        return 1 if self.mandatory else 0

    def resource(self, urn: str) -> Resource | None:
        """The resource with this URN, if the program registered it."""
        if len(self._index) != len(self.resources):
            self._index = {resource.urn: resource for resource in self.resources}
        return self._index.get(urn)

    def declaration(self, urn: str) -> Location | None:
        """Where the program declared the resource ``urn`` (None: the stack, a default provider)."""
        from .locations import resource_location  # noqa: PLC0415 (locations imports this module)

        resource = self.resource(urn) if urn else None
        return resource_location(self, resource) if resource is not None else None

    def to_json(self) -> dict[str, Any]:
        """The machine-readable report (the ``--format json`` document).

        A violation's ``message`` is the pack's message without the policy description the SDK
        prefixes to it; the description is given once, under ``policies``.
        """
        descriptions = {(p.policy_pack, p.name): p.description for p in self.policies}
        return {
            "project": self.project,
            "stack": self.stack,
            "programDir": self.program_dir,
            "warnings": list(self.warnings),
            "resources": [{"urn": r.urn, "type": r.type, "name": r.name} for r in self.resources],
            "policyPacks": [{"name": n, "version": v} for n, v in self.policy_packs],
            "policies": [
                {
                    "policyPack": p.policy_pack,
                    "name": p.name,
                    "description": p.description,
                    "enforcementLevel": p.enforcement_level,
                    "severity": p.severity,
                }
                for p in self.policies
            ],
            "violations": [
                {
                    "policyPack": v.policy_pack,
                    "policy": v.policy,
                    "enforcementLevel": v.enforcement_level,
                    "severity": v.severity,
                    "urn": v.urn,
                    "file": v.file,
                    "line": v.line,
                    "message": message_body(
                        v.message, descriptions.get((v.policy_pack, v.policy), "")
                    ),
                    "related": [
                        {"file": r.file, "line": r.line, "urn": r.urn, "label": r.label}
                        for r in v.related
                    ],
                }
                for v in self.violations
            ],
            "disabled": [{"policyPack": p.policy_pack, "policy": p.name} for p in self.disabled],
            "exempted": [
                {
                    "policyPack": e.policy_pack,
                    "policy": e.policy,
                    "urn": e.urn,
                    "file": at.file if at else None,
                    "line": at.line if at else None,
                    "reason": e.reason,
                }
                for e in self.exempted
                for at in [self.declaration(e.urn)]
            ],
            "notApplicable": [
                {"policyPack": n.policy_pack, "policy": n.policy, "urn": n.urn, "reason": n.reason}
                for n in self.inapplicable
            ],
            "notes": list(self.notes),
            "summary": {
                "resources": len(self.resources),
                "mandatory": len(self.mandatory),
                "advisory": len(self.advisory),
                "disabled": len(self.disabled),
                "exempted": len(self.exempted),
            },
        }


def message_body(message: str, description: str) -> str:
    """A violation message without the policy description the SDK puts on its first line."""
    if description and message.startswith(description):
        return message[len(description) :].lstrip("\n")
    return message
