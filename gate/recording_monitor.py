"""The mock resource monitor: every registration written to the parent as the engine would see it.

On top of the SDK's ``MockMonitor`` it does what the engine does between the program and the pack:
default providers, transforms, aliases, provider versions, unknown invokes, ``.get()`` reads.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor, MockResourceArgs, _sync_await
from pulumi.runtime.proto import resource_pb2

from gate.mock_world import stable_uuid
from gate.mocks import World
from gate.outputs import autoname_inputs, output_types
from gate.provider_state import holds_unknown
from gate.secret_outputs import mark_secret_outputs
from gate.structs import encode_struct, to_struct
from gate.transforms import apply_transforms


class RecordingMonitor(MockMonitor):
    """A mock monitor that writes every registration to the parent as the engine would see it."""

    def __init__(self, world: World, project: str, stack: str) -> None:
        super().__init__(world)
        self.world = world
        self.project = project
        self.stack = stack
        self._lock = threading.Lock()
        self._default_providers: dict[str, str] = {}  # package@version -> provider reference
        self.loop: asyncio.AbstractEventLoop | None = None  # the program's loop, for transforms
        self._stack_callbacks: list[Any] = []  # callback_pb2.Callback, in registration order
        self._transforms: dict[str, list[Any]] = {}  # URN -> the resource's own transforms
        self._parents: dict[str, str] = {}  # URN -> parent URN

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """URNs as the engine builds them: the parent's full type chain, without the root stack."""
        qualified = type_
        if parent:
            parent_type = parent.split("::")[2]
            if parent_type != "pulumi:pulumi:Stack":
                qualified = f"{parent_type}${type_}"
        return f"urn:pulumi:{self.stack}::{self.project}::{qualified}::{name}"

    def GetDeploymentInfo(self, request: Any) -> Any:  # noqa: N802 (the gRPC method name)
        """The mock monitor's features, without resource references.

        The engine sends the pack properties marshalled without ``KeepResources``
        (``sdk/go/common/resource/plugin/analyzer_plugin.go``: ``Analyze``, ``AnalyzeStack`` and
        ``Remediate``), so ``MarshalPropertyValue`` (``sdk/go/common/resource/plugin/rpc.go``)
        writes a custom resource as its ID (unknown while not known) and a component as its URN.
        A monitor without the feature makes the SDK serialize every reference exactly so itself
        (``pulumi.runtime.rpc.serialize_property``): in inputs, lists, nested objects,
        ``register_outputs`` and invoke arguments alike; providers return such properties as
        those strings. (With the feature, the SDK's mock layer rehydrates references on an
        executor thread and fails the program: "attached to a different loop".)
        """
        info = super().GetDeploymentInfo(request)
        features = [
            f
            for f in info.supportedFeatures
            if f != resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES
        ]
        return resource_pb2.DeploymentInfo(supportedFeatures=features)

    def Invoke(self, request: Any) -> Any:  # noqa: N802 (the gRPC method name)
        """Run an invoke against its provider, the package's default one when none is given.

        The engine registers a package's default provider on first use, by an invoke as by a
        resource (``pkg/resource/deploy/source_eval.go``, ``defaultProviders``). An invoke whose
        arguments hold an unknown is not run during preview; its result is unknown. The SDK skips
        the call only when an unknown sits at the top level of the arguments or in a nested
        object, not inside a list (``statements[0].resources[0]``), and its mock layer would then
        hand ``Unknown`` objects to ``Mocks.call``.
        """
        if not request.provider and not request.tok.startswith("pulumi:"):
            with_provider = resource_pb2.ResourceInvokeRequest()
            with_provider.CopyFrom(request)
            with_provider.provider = self._default_provider(
                request.tok.split(":")[0], request.version
            )
            request = with_provider
        if holds_unknown(json_format.MessageToDict(request.args)):
            self.world.unknown_invokes.append(request.tok)
            return resource_pb2.ResourceInvokeResponse(unknown=True)
        return super().Invoke(request)

    def ReadResource(self, request: Any) -> Any:  # noqa: N802 (the gRPC method name)
        """Answer a ``.get()`` with the requested id and a synthesized, known state.

        A read runs against a provider too: the package's default one when none is given.
        """
        provider = request.provider or self._default_provider(
            request.type.split(":")[0], request.version
        )
        state = rpc.deserialize_properties(request.properties)
        args = MockResourceArgs(
            typ=request.type,
            name=request.name,
            inputs=state,
            provider=provider,
            resource_id=request.id,
            custom=True,
        )
        resource_id, outputs = self.world.read_resource(args)
        urn = self.make_urn(request.parent, request.type, request.name)
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, resource_id, outputs)
        return resource_pb2.ReadResourceResponse(
            urn=urn, id=resource_id, properties=_sync_serialize(outputs)
        )

    def RegisterStackTransform(self, request: Any) -> Any:  # noqa: N802 (the gRPC method name)
        self._stack_callbacks.append(request)
        return super().RegisterStackTransform(request)

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 (the gRPC method name)
        if request.remote:
            self._refuse_remote_component(request)
        if request.type != "pulumi:pulumi:Stack":
            request = self._apply_transforms(request)
        if request.type.startswith("pulumi:providers:"):
            request = _with_provider_version(request)
        provider = request.provider
        if request.custom and not provider and not request.type.startswith("pulumi:providers:"):
            provider = self._default_provider(request.type.split(":")[0], request.version)
        response = super().RegisterResource(request)
        if request.custom and not self.world.fresh:
            _null_unset_outputs(response.object, request.type)
        mark_secret_outputs(response.object, request.additionalSecretOutputs)
        self._parents[response.urn] = request.parent
        if request.transforms:
            self._transforms[response.urn] = list(request.transforms)
        if request.type.startswith("pulumi:providers:"):
            self.world.providers[response.urn] = json_format.MessageToDict(request.object)
        inputs = request.object
        additions = (
            autoname_inputs(
                request.type, request.name, _seed(request), inputs, self.world.autonaming
            )
            if request.custom
            else {}
        )
        if additions:
            inputs = struct_pb2.Struct()
            inputs.CopyFrom(request.object)
            inputs.update(additions)
        self.world.channel.send(
            {
                "kind": "resource",
                "urn": response.urn,
                "type": request.type,
                "name": request.name,
                "custom": request.custom,
                "id": response.id,
                "parent": request.parent,
                "inputs": encode_struct(inputs),
                "outputs": encode_struct(response.object),
                "dependencies": list(request.dependencies),
                "propertyDependencies": {
                    key: list(value.urns) for key, value in request.propertyDependencies.items()
                },
                "provider": provider,
                "options": {**_options(request), "aliases": self._alias_urns(request)},
                "sourcePosition": _source_position(request),
            }
        )
        return response

    def _alias_urns(self, request: Any) -> list[str]:
        """The URNs the resource's aliases name: given ones, and specs resolved as the engine
        resolves them (unset fields default to the resource's own name, type, parent, stack)."""
        urns = list(request.aliasURNs)
        for alias in request.aliases:
            if alias.urn:
                urns.append(alias.urn)
                continue
            spec = alias.spec
            parent = "" if spec.noParent else (spec.parentUrn or request.parent)
            urn = self.make_urn(parent, spec.type or request.type, spec.name or request.name)
            if spec.stack or spec.project:
                _, _, rest = urn.split("::", 2)[0], None, urn.split("::", 2)[2]
                urn = (
                    f"urn:pulumi:{spec.stack or self.stack}::{spec.project or self.project}::{rest}"
                )
            urns.append(urn)
        return urns

    def _refuse_remote_component(self, request: Any) -> None:
        """A multi-language component's children come from its provider plugin's Construct.

        The engine asks the component's package (``awsx``, ``eks``, ...) to build them; offline
        there is no plugin, so they would never reach the pack and a pass would be unsound.
        """
        package = request.type.split(":")[0]
        message = (
            f"'{request.name}' is a multi-language (remote) component of type '{request.type}': "
            f"the engine gets its child resources from the '{package}' provider plugin's "
            "Construct, which the offline gate does not have, so those children could not be "
            "checked and a verdict would be unsound; remote components are not supported "
            "(declare the underlying resources directly, or run pulumi preview --policy-pack)"
        )
        self.world.channel.send({"kind": "error", "cause": "unsupported", "message": message})
        raise RuntimeError(message)

    def _apply_transforms(self, request: Any) -> Any:
        """Run transforms as the engine does before it registers a resource.

        The resource's own transforms first, then its ancestors', then the stack transforms
        registered so far; each sees the previous one's properties and options. The mock monitor
        of the SDK skips this step, which would let a transform's tags (or its removal of a
        bucket's encryption) escape the pack.
        """
        callbacks = list(request.transforms)
        parent = request.parent
        while parent:
            callbacks += self._transforms.get(parent, [])
            parent = self._parents.get(parent, "")
        callbacks += self._stack_callbacks
        if not callbacks or self.loop is None:
            return request
        return apply_transforms(request, callbacks, self.loop)

    def RegisterResourceOutputs(self, request: Any) -> Any:  # noqa: N802 (gRPC method name)
        self.world.channel.send(
            {
                "kind": "outputs",
                "urn": request.urn,
                "outputs": encode_struct(request.outputs),
            }
        )
        return super().RegisterResourceOutputs(request)

    def _default_provider(self, package: str, version: str) -> str:
        """Register the engine's default provider for a package on first use; return its ref."""
        key = f"{package}@{version}"
        with self._lock:
            if key in self._default_providers:
                return self._default_providers[key]
            name = (
                "default_" + version.replace(".", "_").replace("-", "_") if version else "default"
            )
            type_ = f"pulumi:providers:{package}"
            urn = f"urn:pulumi:{self.stack}::{self.project}::{type_}::{name}"
            inputs = dict(self.world.package_config.get(package, {}))
            if version:
                inputs["version"] = version
            provider_id = rpc.UNKNOWN if self.world.fresh else stable_uuid(urn)
            self.world.providers[urn] = inputs
            self.world.channel.send(
                {
                    "kind": "resource",
                    "urn": urn,
                    "type": type_,
                    "name": name,
                    "custom": True,
                    "id": provider_id,
                    "parent": "",
                    "inputs": encode_struct(to_struct(inputs)),
                    "outputs": encode_struct(to_struct(inputs)),
                    "dependencies": [],
                    "propertyDependencies": {},
                    "provider": "",
                    "options": {},
                    "sourcePosition": None,
                    "defaultProvider": True,
                }
            )
            ref = f"{urn}::{provider_id}"
            self._default_providers[key] = ref
            return ref


def _with_provider_version(request: Any) -> Any:
    """An explicit provider's inputs carry its plugin ``version``, as the engine adds it.

    The resource monitor sets the ``version`` input of a provider resource from the request's
    version (``providers.SetProviderVersion`` in ``pkg/resource/deploy/providers``), so the pack
    sees ``version`` on explicit providers as on default ones.
    """
    if not request.version or "version" in request.object.fields:
        return request
    versioned = resource_pb2.RegisterResourceRequest()
    versioned.CopyFrom(request)
    versioned.object.update({"version": request.version})
    return versioned


def _null_unset_outputs(outputs: struct_pb2.Struct, type_: str) -> None:
    """Declared outputs without a value come back null, as in a deployed resource's state.

    The SDK drops ``None`` when it serializes a mock's state, and a property absent from the
    response stays unknown during preview; the engine returns a deployed resource's whole state.
    """
    for property_ in output_types(type_) or ():
        if property_ not in outputs.fields:
            outputs.fields[property_].null_value = struct_pb2.NULL_VALUE


def _sync_serialize(state: dict[str, Any]) -> struct_pb2.Struct:
    """Serialize outputs on an executor thread, as the SDK's mock monitor does."""
    return _sync_await(rpc.serialize_properties(state, {}))


def _seed(request: Any) -> str:
    return f"{request.type}::{request.name}"


def _options(request: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "protect": request.protect,
        "ignoreChanges": list(request.ignoreChanges),
        "additionalSecretOutputs": list(request.additionalSecretOutputs),
        "aliases": list(request.aliasURNs),
        "retainOnDelete": request.retainOnDelete,
        "deletedWith": request.deletedWith,
        "importId": request.importId,
    }
    if request.deleteBeforeReplaceDefined:
        options["deleteBeforeReplace"] = request.deleteBeforeReplace
    if request.HasField("customTimeouts"):
        timeouts = request.customTimeouts
        options["customTimeouts"] = {
            "create": timeouts.create,
            "update": timeouts.update,
            "delete": timeouts.delete,
        }
    return options


def _source_position(request: Any) -> dict[str, Any] | None:
    if not request.HasField("sourcePosition") or not request.sourcePosition.uri:
        return None
    position = request.sourcePosition
    return {"uri": position.uri, "line": position.line, "column": position.column}
