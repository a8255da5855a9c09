"""Three additions to the SDK's analyzer that CrossGuard's Python SDK does not offer.

1. Pack-level settings. The engine's `Configure` call carries the config of every policy, but the
   SDK hands each policy only its own. We read the whole map at `Configure`, parse it once
   (`settings.parse_settings`), and every policy consults the result. This is how `pack-settings`
   (`onUnknown`, `exemptions`) reaches all policies, under `pulumi preview --policy-pack` and
   the offline gate alike, since both configure the analyzer through this one RPC.
2. Per-finding levels. A report's level is fixed per policy in the SDK; findings prefixed with
   `UNKNOWN_PREFIX` are lowered to `onUnknown` (`advisory` by default) after the SDK builds them.
3. Work done once per call. The SDK's `Analyze` and `AnalyzeStack` decode the resource (every
   resource of the stack) again for each policy (protobuf to dict to proxy, provider included):
   over a 4,000-resource stack that repeated decoding cost far more than all the pack's checks.
   `_analyze` and `_analyze_stack` are the SDK's RPCs (pulumi-policy 1.21: same levels, reports,
   errors and not-applicable answers) with one change: the request is decoded once and the same
   objects are handed to every policy. Each call also runs inside `framework.one_call`, so the
   pack's own views (the resource, or the indexed stack) are built once for all its policies.

All three hook the SDK's analyzer class, which is private: `install_guarded_analyzer` refuses to
start if its shape is not the one this code was written against (pulumi-policy 1.x).
"""

from __future__ import annotations

import asyncio
from inspect import isawaitable
from typing import Any

from google.protobuf import json_format
from pulumi.runtime import proto
from pulumi_policy import policy as sdk_policy

from . import settings, validators
from .framework import UNKNOWN_PREFIX, one_call, today


def _lower_unknown_findings(response: Any) -> Any:
    if settings.current().on_unknown == "mandatory":
        return response
    for diagnostic in response.diagnostics:
        _, _, body = diagnostic.message.partition("\n")
        if body.startswith(UNKNOWN_PREFIX) and diagnostic.enforcementLevel == proto.MANDATORY:
            diagnostic.enforcementLevel = proto.ADVISORY
    return response


# The SDK analyzer's private state and helpers that `_analyze` and `_analyze_stack` use.
_SDK_PREFIX = "_PolicyAnalyzerServicer__"
_SDK_STATE = ("policies", "policy_pack_name", "policy_pack_version", "stack_tags")
_SDK_METHODS = (
    "_configure_runtime_settings",
    "_get_enforcement_level",
    "_create_report_violation",
    "_get_policy_config",
    "_map_enforcement_level",
    "_get_resource_options",
    "_get_provider_resource",
)
_SDK_NAMES = (
    "ResourceValidationArgs",
    "ResourceValidationPolicy",
    "StackValidationArgs",
    "StackValidationPolicy",
    "PolicyResource",
    "EnforcementLevel",
    "UnknownValueError",
    "_NotApplicableError",
    "deserialize_properties",
    "unknown_checking_proxy",
)


def _sdk(servicer: Any, name: str) -> Any:
    return getattr(servicer, _SDK_PREFIX + name)


def _stack_resources(servicer: Any, request: Any) -> list[Any]:
    """The request's resources as the SDK builds them: `PolicyResource`s linked to each other."""
    resources = []
    parents: list[str] = []
    dependencies: list[list[str]] = []
    property_dependencies: list[dict[str, list[str]]] = []
    # Resources name the same few providers: decode each distinct provider message once.
    providers: dict[tuple[bool, bytes], Any] = {}
    for r in request.resources:
        provider_key = (r.HasField("provider"), r.provider.SerializeToString(deterministic=True))
        if provider_key not in providers:
            providers[provider_key] = servicer._get_provider_resource(r)
        deserialized = sdk_policy.deserialize_properties(json_format.MessageToDict(r.properties))
        resources.append(
            sdk_policy.PolicyResource(
                r.type,
                sdk_policy.unknown_checking_proxy(deserialized),
                r.urn,
                r.name,
                servicer._get_resource_options(r),
                providers[provider_key],
                None,
                [],
                {},
            )
        )
        parents.append(r.parent)
        dependencies.append(list(r.dependencies))
        property_dependencies.append({k: list(v.urns) for k, v in r.propertyDependencies.items()})
    by_urn = {resource.urn: resource for resource in resources}
    for resource, parent, deps, prop_deps in zip(
        resources, parents, dependencies, property_dependencies, strict=True
    ):
        if parent is not None and parent in by_urn:
            resource.parent = by_urn[parent]
        resource.dependencies.extend(by_urn[d] for d in deps if d in by_urn)
        for key, urns in prop_deps.items():
            resource.property_dependencies[key] = [by_urn[u] for u in urns if u in by_urn]
    return resources


def _validate(servicer: Any, policy: Any, args: Any, report_violation: Any, response: Any) -> None:
    """Run one policy as the SDK does: await it if async; record unknowns and not-applicable."""
    try:
        result = policy.validate(args, report_violation)
        if isawaitable(result):
            loop = asyncio.new_event_loop()
            loop.run_until_complete(asyncio.Task(result, loop=loop))
            loop.close()
    except sdk_policy.UnknownValueError as e:
        pack_name = _sdk(servicer, "policy_pack_name")
        pack_version = _sdk(servicer, "policy_pack_version")
        response.diagnostics.append(
            proto.AnalyzeDiagnostic(
                policyName=policy.name,
                policyPackName=pack_name,
                policyPackVersion=pack_version,
                message=(
                    f"can't run policy '{policy.name}' from policy pack "
                    f"'{pack_name}@v{pack_version}' during preview: {e.message}"
                ),
                urn="",
                description=policy.description,
                enforcementLevel=servicer._map_enforcement_level(
                    sdk_policy.EnforcementLevel.ADVISORY
                ),
            )
        )
    except sdk_policy._NotApplicableError as e:
        response.not_applicable.append(
            proto.PolicyNotApplicable(policy_name=policy.name, reason=e.reason or "")
        )


def _analyze(servicer: Any, request: Any) -> Any:
    """The SDK's `Analyze`, decoding the resource once for all resource policies (see above)."""
    servicer._configure_runtime_settings()
    response = proto.AnalyzeResponse()
    levels = sdk_policy.EnforcementLevel
    decoded: tuple[Any, Any, Any] | None = None
    for policy in _sdk(servicer, "policies"):
        level = servicer._get_enforcement_level(policy)
        if level == levels.DISABLED or not isinstance(policy, sdk_policy.ResourceValidationPolicy):
            continue
        if not policy.has_validation():
            response.not_applicable.append(
                proto.PolicyNotApplicable(
                    policy_name=policy.name, reason="Policy does not implement validate"
                )
            )
            continue
        if level == levels.REMEDIATE:
            level = levels.MANDATORY  # remediated, yet still violating
        report_violation = servicer._create_report_violation(
            response, policy.name, policy.description, level, policy.severity
        )
        if decoded is None:
            properties = json_format.MessageToDict(request.properties)
            decoded = (
                sdk_policy.unknown_checking_proxy(sdk_policy.deserialize_properties(properties)),
                servicer._get_resource_options(request),
                servicer._get_provider_resource(request),
            )
        props, opts, provider = decoded
        args = sdk_policy.ResourceValidationArgs(
            request.type,
            props,
            request.urn,
            request.name,
            opts,
            provider,
            servicer._get_policy_config(policy.name),
            _sdk(servicer, "stack_tags"),
        )
        _validate(servicer, policy, args, report_violation, response)
    return response


def _analyze_stack(servicer: Any, request: Any) -> Any:
    """The SDK's `AnalyzeStack`, decoding the stack once for all stack policies (see above)."""
    servicer._configure_runtime_settings()
    response = proto.AnalyzeResponse()
    levels = sdk_policy.EnforcementLevel
    resources: list[Any] | None = None
    for policy in _sdk(servicer, "policies"):
        level = servicer._get_enforcement_level(policy)
        if level == levels.DISABLED or not isinstance(policy, sdk_policy.StackValidationPolicy):
            continue
        if level == levels.REMEDIATE:
            level = levels.MANDATORY  # stack policies cannot remediate
        report_violation = servicer._create_report_violation(
            response, policy.name, policy.description, level, policy.severity
        )
        if resources is None:
            resources = _stack_resources(servicer, request)
        args = sdk_policy.StackValidationArgs(
            resources, servicer._get_policy_config(policy.name), _sdk(servicer, "stack_tags")
        )
        _validate(servicer, policy, args, report_violation, response)
    return response


def _make_servicer(base: type, validators: dict[str, settings.ConfigValidator | None]) -> type:
    class GuardedAnalyzerServicer(base):  # type: ignore[misc, valid-type]
        def Configure(self, request: Any, context: Any) -> Any:  # noqa: N802 - gRPC name
            config = {
                name: json_format.MessageToDict(value.properties)
                for name, value in request.policyConfig.items()
            }
            settings.install(settings.parse_settings(config, validators, today()))
            return super().Configure(request, context)

        def Analyze(self, request: Any, context: Any) -> Any:  # noqa: N802 - gRPC name
            with one_call():
                return _lower_unknown_findings(_analyze(self, request))

        def AnalyzeStack(self, request: Any, context: Any) -> Any:  # noqa: N802 - gRPC name
            with one_call():
                return _lower_unknown_findings(_analyze_stack(self, request))

    return GuardedAnalyzerServicer


def install_guarded_analyzer() -> None:
    """Make the next `PolicyPack(...)` serve through the guarded analyzer."""
    base = getattr(sdk_policy, "_PolicyAnalyzerServicer", None)
    if getattr(base, "_guarded_by_pack", False):
        return
    annotations = getattr(base, "__annotations__", {})
    if (
        base is None
        or not all(
            callable(getattr(base, name, None))
            for name in ("Configure", "Analyze", "AnalyzeStack", *_SDK_METHODS)
        )
        or not all(_SDK_PREFIX + name in annotations for name in _SDK_STATE)
        or not all(hasattr(sdk_policy, name) for name in _SDK_NAMES)
    ):
        raise RuntimeError(
            "pulumi-policy's analyzer is not the 1.x one this pack hooks into; "
            "install pulumi-policy>=1.21,<2 (policypack/requirements.txt)"
        )
    servicer = _make_servicer(base, validators())
    servicer._guarded_by_pack = True
    sdk_policy._PolicyAnalyzerServicer = servicer
