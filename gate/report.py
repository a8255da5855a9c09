"""The gate's result: the resources it saw, what the policy packs said about them, the verdict."""

from __future__ import annotations

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
class Violation:
    """One diagnostic a policy reported; ``urn`` is empty for a stack-level diagnostic."""

    policy_pack: str
    policy: str
    enforcement_level: EnforcementLevel
    severity: str
    urn: str
    message: str


@dataclass(frozen=True)
class NotApplicable:
    """A policy that declared itself not applicable to a resource (or to the stack: urn "")."""

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
    policies: list[PolicyInfo] = field(default_factory=list)
    program_dir: str = ""
    _index: dict[str, Resource] = field(default_factory=dict, repr=False, compare=False)

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement_level == "mandatory"]

    @property
    def advisory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement_level == "advisory"]

    @property
    def exit_code(self) -> int:
        """1 when at least one mandatory violation, else 0."""
        return 1 if self.mandatory else 0

    def resource(self, urn: str) -> Resource | None:
        """The resource with this URN, if the program registered it."""
        if len(self._index) != len(self.resources):
            self._index = {resource.urn: resource for resource in self.resources}
        return self._index.get(urn)

    def to_json(self) -> dict[str, Any]:
        """The machine-readable report (the ``--format json`` document)."""
        return {
            "project": self.project,
            "stack": self.stack,
            "resources": [{"urn": r.urn, "type": r.type, "name": r.name} for r in self.resources],
            "policyPacks": [{"name": n, "version": v} for n, v in self.policy_packs],
            "violations": [
                {
                    "policyPack": v.policy_pack,
                    "policy": v.policy,
                    "enforcementLevel": v.enforcement_level,
                    "severity": v.severity,
                    "urn": v.urn,
                    "message": v.message,
                }
                for v in self.violations
            ],
            "notApplicable": [
                {"policyPack": n.policy_pack, "policy": n.policy, "urn": n.urn, "reason": n.reason}
                for n in self.not_applicable
            ],
            "notes": list(self.notes),
            "summary": {
                "resources": len(self.resources),
                "mandatory": len(self.mandatory),
                "advisory": len(self.advisory),
            },
        }
