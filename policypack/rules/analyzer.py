"""Two additions to the SDK's analyzer that CrossGuard's Python SDK does not offer.

1. Pack-level settings. The engine's `Configure` call carries the config of every policy, but the
   SDK hands each policy only its own. We read the whole map at `Configure`, parse it once
   (`settings.parse_settings`), and every policy consults the result. This is how `pack-settings`
   (`onUnknown`, `exemptions`) reaches all policies, under `pulumi preview --policy-pack` and
   the offline gate alike, since both configure the analyzer through this one RPC.
2. Per-finding levels. A report's level is fixed per policy in the SDK; findings prefixed with
   `UNKNOWN_PREFIX` are lowered to `onUnknown` (`advisory` by default) after the SDK builds them.
3. Views built once per call. The SDK hands each policy its own args; each `Analyze` and
   `AnalyzeStack` call runs inside `framework.one_call`, so the pack converts the resource (or
   indexes the stack) once for all its policies rather than once per policy.

Both hook the SDK's analyzer class, which is private: `install_guarded_analyzer` refuses to start
if its shape is not the one this code was written against (pulumi-policy 1.x).
"""

from __future__ import annotations

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
                return _lower_unknown_findings(super().Analyze(request, context))

        def AnalyzeStack(self, request: Any, context: Any) -> Any:  # noqa: N802 - gRPC name
            with one_call():
                return _lower_unknown_findings(super().AnalyzeStack(request, context))

    return GuardedAnalyzerServicer


def install_guarded_analyzer() -> None:
    """Make the next `PolicyPack(...)` serve through the guarded analyzer."""
    base = getattr(sdk_policy, "_PolicyAnalyzerServicer", None)
    if base is None or not all(
        callable(getattr(base, rpc, None)) for rpc in ("Configure", "Analyze", "AnalyzeStack")
    ):
        raise RuntimeError(
            "pulumi-policy's analyzer is not the 1.x one this pack hooks into; "
            "install pulumi-policy>=1.21,<2 (policypack/requirements.txt)"
        )
    if getattr(base, "_guarded_by_pack", False):
        return
    servicer = _make_servicer(base, validators())
    servicer._guarded_by_pack = True
    sdk_policy._PolicyAnalyzerServicer = servicer
