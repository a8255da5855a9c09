"""The Analyzer calls for each resource, built as the engine builds them.

Mirrors ``sdk/go/common/resource/plugin/analyzer_plugin.go`` (``Analyze``, ``AnalyzeStack``,
``Remediate``: marshalling options, empty property-dependency lists skipped) and
``pkg/resource/deploy/step_generator.go`` (remediations first, their properties kept; one
resource at a time, in registration order).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Mapping
from typing import Any

import grpc
from google.protobuf.struct_pb2 import Struct
from pulumi.runtime.proto import analyzer_pb2

from .analyzer import options_message, result_items
from .report import NotApplicable, Report, Resource, Violation


class SequentialAnalysis:
    """Remediate and Analyze each resource on one thread while the program still runs.

    The engine makes these calls one at a time, in registration order; a thread of their own
    keeps the gate reading the program's registrations meanwhile. Findings are kept apart and
    merged into the report by ``finish``, so the report's order does not depend on timing.
    """

    def __init__(
        self,
        stub: Any,
        pack: str,
        by_urn: Mapping[str, Resource],
        *,
        remediating: bool,
        severities: Mapping[str, str],
    ) -> None:
        self._stub = stub
        self._pack = pack
        self._severities = severities
        self._by_urn = by_urn
        self._remediating = remediating
        self._findings = Report(project="", stack="", program_dir="")
        self._queue: queue.SimpleQueue[Resource | None] = queue.SimpleQueue()
        self.failed: tuple[str, grpc.RpcError] | None = None  # (URN, error) of a failed call
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def submit(self, resource: Resource) -> None:
        self._queue.put(resource)

    def _run(self) -> None:
        while (resource := self._queue.get()) is not None:
            if self.failed is not None:
                continue
            try:
                analyze_resource(
                    self._stub,
                    resource,
                    self._by_urn,
                    self._pack,
                    remediating=self._remediating,
                    severities=self._severities,
                    report=self._findings,
                )
            except grpc.RpcError as error:
                self.failed = (resource.urn, error)

    def finish(self, report: Report) -> None:
        """Wait for the last call; add the findings to ``report`` (see ``failed``)."""
        self.close()
        report.violations.extend(self._findings.violations)
        report.not_applicable.extend(self._findings.not_applicable)
        report.notes.extend(self._findings.notes)

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()


STACK_TYPE = "pulumi:pulumi:Stack"


def analyze_resource(
    stub: Any,
    resource: Resource,
    by_urn: Mapping[str, Resource],
    pack: str,
    *,
    remediating: bool,
    severities: Mapping[str, str],
    report: Report,
) -> None:
    """Remediate (when a policy remediates), then Analyze one resource, as the engine does."""
    request = _analyze_request(resource, by_urn)
    if remediating:
        request = _remediate(stub, request, pack, report)
        _apply_remediation(resource, request.properties)
    request.properties.CopyFrom(without_internal_keys(request.properties))
    response = stub.Analyze(request)
    violations, not_applicable = result_items(response, pack, resource.urn, severities)
    report.violations.extend(violations)
    report.not_applicable.extend(not_applicable)


def without_internal_keys(properties: Struct) -> Struct:
    """The properties without top-level ``__`` keys (``SkipInternalKeys``, which the engine sets
    for Analyze and AnalyzeStack but not for Remediate: sdk/go/common/resource/plugin/
    analyzer_plugin.go; ``resource.IsInternalPropertyKey``), e.g. a dynamic provider's
    ``__provider``."""
    if not any(key.startswith("__") for key in properties.fields):
        return properties
    stripped = Struct()
    for key, value in properties.fields.items():
        if not key.startswith("__"):
            stripped.fields[key].CopyFrom(value)
    return stripped


def _apply_remediation(resource: Resource, properties: Struct) -> None:
    """The engine continues from remediated inputs (``new.Inputs = tresult.Properties`` in
    pkg/resource/deploy/step_generator.go), so the provider's state, and AnalyzeStack, hold them."""
    if properties == resource.inputs_struct:
        return
    outputs = Struct()
    outputs.CopyFrom(resource.outputs_struct)
    for key in resource.inputs_struct.fields:
        if key not in properties.fields and key in outputs.fields:
            del outputs.fields[key]
    for key, value in properties.fields.items():
        outputs.fields[key].CopyFrom(value)
    resource.inputs_struct = properties
    resource.outputs_struct = outputs


def _provider(resource: Resource, by_urn: Mapping[str, Resource]) -> Resource | None:
    if not resource.provider:
        return None
    return by_urn.get(resource.provider.rsplit("::", 1)[0])


def _provider_message(provider: Resource) -> analyzer_pb2.AnalyzerProviderResource:
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider.type,
        properties=provider.inputs_struct,
        urn=provider.urn,
        name=provider.name,
    )


def _analyze_request(
    resource: Resource, by_urn: Mapping[str, Resource]
) -> analyzer_pb2.AnalyzeRequest:
    request = analyzer_pb2.AnalyzeRequest(
        type=resource.type,
        properties=resource.inputs_struct,
        urn=resource.urn,
        name=resource.name,
        options=options_message(resource.options, resource.parent),
    )
    provider = _provider(resource, by_urn)
    if provider is not None:
        request.provider.CopyFrom(_provider_message(provider))
    return request


def _remediate(
    stub: Any, request: analyzer_pb2.AnalyzeRequest, pack: str, report: Report
) -> analyzer_pb2.AnalyzeRequest:
    """Run remediations first, as the engine does, so that Analyze sees the rewritten inputs."""
    response = stub.Remediate(request)
    # The engine keeps a remediation's not-applicable answers too (`RemediateResponse.NotApplicable`
    # in sdk/go/common/resource/plugin/analyzer_plugin.go): a remediate-level policy with no
    # remediate function, or a remediation that declares itself not applicable (an exemption).
    report.not_applicable.extend(
        NotApplicable(pack, n.policy_name, request.urn, n.reason) for n in response.not_applicable
    )
    for remediation in response.remediations:
        if remediation.diagnostic:  # an advisory violation on the resource, as the engine shows it
            report.violations.append(
                Violation(
                    policy_pack=remediation.policyPackName or pack,
                    policy=remediation.policyName,
                    enforcement_level="advisory",
                    severity="",
                    urn=request.urn,
                    message=remediation.diagnostic,
                )
            )
        elif remediation.HasField("properties"):
            request.properties.CopyFrom(remediation.properties)
            report.notes.append(
                f"{pack}: remediation '{remediation.policyName}' rewrote the inputs of "
                f"{request.urn} before analysis."
            )
    return request


def stack_resource(
    resource: Resource, by_urn: Mapping[str, Resource]
) -> analyzer_pb2.AnalyzerResource:
    """AnalyzeStack sees each resource's outputs (its final state), parent and dependencies."""
    message = analyzer_pb2.AnalyzerResource(
        type=resource.type,
        properties=without_internal_keys(resource.outputs_struct),
        urn=resource.urn,
        name=resource.name,
        options=options_message(resource.options, resource.parent),
        parent=resource.parent,
        dependencies=resource.dependencies,
    )
    for key, urns in resource.property_dependencies.items():
        if urns:  # the engine skips properties that have no dependencies
            message.propertyDependencies[key].urns.extend(urns)
    provider = _provider(resource, by_urn)
    if provider is not None:
        message.provider.CopyFrom(_provider_message(provider))
    return message
