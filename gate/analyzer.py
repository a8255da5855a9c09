"""The Analyzer gRPC calls the engine makes to a policy pack, and their answers as the gate's types.

``GetAnalyzerInfo``, ``ConfigureStack`` and ``Configure`` set the pack up; the resource options
and results of ``Analyze``/``AnalyzeStack`` are translated here (the pack runs in
``gate.pack_process``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from .durations import parse_go_duration
from .pack_process import StackContext
from .pack_spec import PackSpec
from .policy_config import PolicyConfig, PolicySchema, reconcile
from .report import NotApplicable, PolicyInfo, Violation
from .structs import to_struct

CALL_TIMEOUT = 300.0
"""Deadline of the set-up calls (GetAnalyzerInfo, Configure, ConfigureStack). Analysis calls have
none, as in the CLI: a pack may legitimately take minutes over a large stack."""
_LEVEL_NAMES = {
    analyzer_pb2.ADVISORY: "advisory",
    analyzer_pb2.MANDATORY: "mandatory",
    analyzer_pb2.DISABLED: "disabled",
    analyzer_pb2.REMEDIATE: "remediate",
}
_LEVEL_VALUES = {name: value for value, name in _LEVEL_NAMES.items()}
_SEVERITY_NAMES = {
    analyzer_pb2.POLICY_SEVERITY_UNSPECIFIED: "",
    analyzer_pb2.POLICY_SEVERITY_LOW: "low",
    analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
    analyzer_pb2.POLICY_SEVERITY_HIGH: "high",
    analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical",
}


@dataclass(frozen=True)
class PackInfo:
    name: str
    version: str
    policies: list[PolicyInfo]
    schemas: list[PolicySchema]
    initial: dict[str, PolicyConfig]


def describe(stub: analyzer_pb2_grpc.AnalyzerStub, spec: PackSpec) -> PackInfo:
    """``GetAnalyzerInfo``: the pack's name, version (PulumiPolicy.yaml wins) and policies."""
    info = stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=CALL_TIMEOUT)
    version = spec.version or info.version
    policies, schemas = [], []
    for policy in info.policies:
        level = _LEVEL_NAMES.get(policy.enforcementLevel, "advisory")
        policies.append(
            PolicyInfo(
                policy_pack=info.name,
                name=policy.name,
                description=policy.description,
                enforcement_level=level,
                severity=_SEVERITY_NAMES.get(policy.severity, ""),
                url=policy.url,
                remediation_steps=policy.remediation_steps,
                display_name=policy.displayName,
            )
        )
        schema = policy.configSchema
        schemas.append(
            PolicySchema(
                name=policy.name,
                enforcement_level=level,
                properties=json_format.MessageToDict(schema.properties),
                required=list(schema.required),
            )
        )
    initial = {
        name: PolicyConfig(
            _LEVEL_NAMES.get(config.enforcementLevel, "advisory"),
            json_format.MessageToDict(config.properties) or None,
        )
        for name, config in info.initialConfig.items()
    }
    return PackInfo(info.name, version, policies, schemas, initial)


def configure_stack(
    stub: analyzer_pb2_grpc.AnalyzerStub, context: StackContext, tags: Mapping[str, str]
) -> None:
    """``ConfigureStack``: the stack, its config and tags, as the engine sends it first."""
    stub.ConfigureStack(
        analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=context.stack,
            project=context.project,
            organization=context.organization,
            dry_run=True,
            config=context.config,
            config_secret_keys=context.secret_keys,
            tags=dict(tags),
        ),
        timeout=CALL_TIMEOUT,
    )


def configure(
    stub: analyzer_pb2_grpc.AnalyzerStub,
    pack: PackInfo,
    user_config: Mapping[str, PolicyConfig],
) -> dict[str, PolicyConfig]:
    """``Configure`` with the reconciled config; returns the config."""
    config = reconcile(pack.name, pack.schemas, pack.initial, user_config)
    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, entry in config.items():
        request.policyConfig[name].CopyFrom(
            analyzer_pb2.PolicyConfig(
                enforcementLevel=_LEVEL_VALUES[entry.enforcement_level or "advisory"],
                properties=to_struct(entry.properties or {}),
            )
        )
    stub.Configure(request, timeout=CALL_TIMEOUT)
    return config


def options_message(
    options: Mapping[str, Any], parent: str
) -> analyzer_pb2.AnalyzerResourceOptions:
    """The options as the engine marshals them (``marshalResourceOptions`` in
    sdk/go/common/resource/plugin/analyzer_plugin.go).

    Aliases are not the ones the program asked for: the engine's state keeps only the alias under
    which it found the resource's old state (``aliasUrns`` from ``alias`` in ``generateSteps``,
    pkg/resource/deploy/step_generator.go: "We do not need to save any of the resource's other
    possible aliases"). The gate models a new stack (``--fresh``) or one deployed under the
    current URNs, so no resource is found by an alias and the list is empty. Custom timeouts are
    always present (zero when unset), as the engine always sets them.
    """
    message = analyzer_pb2.AnalyzerResourceOptions(
        protect=bool(options.get("protect")),
        ignoreChanges=options.get("ignoreChanges", []),
        additionalSecretOutputs=options.get("additionalSecretOutputs", []),
        parent=parent,
    )
    if "deleteBeforeReplace" in options:
        message.deleteBeforeReplace = bool(options["deleteBeforeReplace"])
        message.deleteBeforeReplaceDefined = True
    timeouts = options.get("customTimeouts") or {}
    message.customTimeouts.CopyFrom(
        analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
            **{k: _seconds(v) for k, v in timeouts.items() if k in ("create", "update", "delete")}
        )
    )
    return message


def _seconds(duration: str) -> float:
    """A Go duration string from the SDK ("5m", "1h30m") in seconds; empty means unset (0)."""
    return parse_go_duration(duration) if duration else 0.0


def result_items(
    response: analyzer_pb2.AnalyzeResponse,
    pack: str,
    urn: str | None,
    severities: Mapping[str, str],
) -> tuple[list[Violation], list[NotApplicable]]:
    """Violations and not-applicable answers; ``urn`` overrides as the engine does for Analyze.

    A diagnostic without a severity (pulumi-policy sends none with its "can't run policy during
    preview" advisory) gets its policy's, from ``severities`` (policy name -> severity), as the
    engine's ``convertDiagnostics`` does (sdk/go/common/resource/plugin/analyzer_plugin.go).
    """
    violations = [
        Violation(
            policy_pack=d.policyPackName or pack,
            policy=d.policyName,
            enforcement_level="mandatory"
            if d.enforcementLevel in (analyzer_pb2.MANDATORY, analyzer_pb2.REMEDIATE)
            else "advisory",
            severity=_SEVERITY_NAMES.get(d.severity, "") or severities.get(d.policyName, ""),
            urn=urn if urn is not None else d.urn,
            message=d.message,
        )
        for d in response.diagnostics
        if d.enforcementLevel != analyzer_pb2.DISABLED
    ]
    not_applicable = [
        NotApplicable(pack, n.policy_name, urn if urn is not None else "", n.reason)
        for n in response.not_applicable
    ]
    return violations, not_applicable
