"""Runs one Pulumi program on the SDK's mock engine, in a child interpreter of its own.

The parent (``gate.program``) starts this module with a job description in ``GATE_JOB`` and a pipe
on which every registration is written as one JSON line while the program runs. The Pulumi runtime
keeps global state and programs ``chdir`` and import their own modules, so each run gets a fresh
interpreter. Only the standard library, the Pulumi SDK and the gate's mock world are imported
before the gate's directory is removed from ``sys.path``, so the program imports its own modules.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import runpy
import sys
import threading
import traceback
from pathlib import Path
from typing import Any, TextIO

from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime import configure, rpc, set_all_config, settings
from pulumi.runtime.mocks import (
    MockCallArgs,
    MockEngine,
    MockMonitor,
    MockResourceArgs,
    Mocks,
    MockSettings,
    _sync_await,
)
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.stack import run_in_stack

from gate import invoke_trace, plain_unknowns, source_position
from gate.autonaming import parse_autonaming
from gate.invoke_types import RESULT_TYPES, record_result_types
from gate.invokes import InvokeError, answer
from gate.mock_world import (
    DEFAULT_REGION,
    Place,
    stable_uuid,
)
from gate.outputs import autoname_inputs, output_types, read_outputs, resource_outputs
from gate.policy_document import PolicyDocumentError
from gate.provider_state import holds_unknown, provider_state
from gate.secret_outputs import mark_secret_outputs
from gate.stack_references import STACK_REFERENCE, stack_reference_state
from gate.transforms import apply_transforms

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's marker for an unknown value (``UnknownStringValue`` in the Go SDK)."""


class Channel:
    """The pipe to the parent: one JSON object per line, written atomically across threads.

    Lines are buffered and reach the pipe in blocks (every system call from an executor thread
    hands the GIL back and forth); errors and the final record are flushed at once.
    """

    BUFFER = 1 << 16

    def __init__(self, fd: int) -> None:
        self._stream: TextIO = os.fdopen(fd, "w", encoding="utf-8", buffering=self.BUFFER)
        self._lock = threading.Lock()

    def send(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, separators=(",", ":"))
        with self._lock:
            self._stream.write(line + "\n")
            if record["kind"] in ("error", "done"):
                self._stream.flush()


class World(Mocks):
    """The mock engine's answers, with the provider each resource and invoke runs against."""

    def __init__(self, job: dict[str, Any], channel: Channel) -> None:
        self.fresh: bool = job["fresh"]
        self.account: str = job["account"]
        self.channel = channel
        self.providers: dict[str, dict[str, Any]] = {}  # provider URN -> inputs
        self.default_places: dict[str, Place] = {}
        self.package_config: dict[str, dict[str, Any]] = job["packageConfig"]
        self.unknown_invokes: list[str] = []  # tokens answered unknown, in call order
        self.invoke_answers: dict[str, Any] = job.get("invokeAnswers") or {}
        self._noted: set[str] = set()  # tokens already listed in the report's notes
        self.offline_unknowns: list[str] = []  # "token (props)" answered with unknown content
        self.autonaming = parse_autonaming(
            job["config"], "organization", job["project"], job["stack"]
        )

    def place_for(self, provider_ref: str, package: str = "aws") -> Place:
        urn = provider_ref.rsplit("::", 1)[0] if provider_ref else ""
        inputs = self.providers.get(urn)
        if inputs is None:
            inputs = self.package_config.get(package, {})
        return self._place(inputs)

    def _place(self, inputs: dict[str, Any]) -> Place:
        region = inputs.get("region")
        tags = _json_or_value(inputs.get("defaultTags"))
        default_tags = tags.get("tags") if isinstance(tags, dict) else None
        allowed = _json_or_value(inputs.get("allowedAccountIds"))
        account = self.account
        if isinstance(allowed, list) and allowed and isinstance(allowed[0], str):
            account = allowed[0]
        return Place(
            region=region if isinstance(region, str) and region else DEFAULT_REGION,
            account=account,
            default_tags=default_tags if isinstance(default_tags, dict) else {},
        )

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict]:
        if args.typ.startswith("pulumi:providers:"):
            return (None if self.fresh else stable_uuid(args.name + args.typ)), dict(args.inputs)
        if not args.custom:
            return "", {}
        place = self.place_for(args.provider or "", args.typ.split(":")[0])
        urn = f"{args.typ}::{args.name}"
        resource_id, state = resource_outputs(
            args.typ,
            args.name,
            urn,
            dict(args.inputs),
            place,
            fresh=self.fresh,
            autonaming=self.autonaming,
        )
        return resource_id or None, provider_state(state, output_types(args.typ))

    def read_resource(self, args: MockResourceArgs) -> tuple[str, dict]:
        """A ``.get()`` read: the engine runs read steps during preview, so the state is known.

        The state is what the gate would report for a deployed resource of that type named by
        the requested id, with the properties the program passed as state on top.
        """
        if args.typ == STACK_REFERENCE:
            state, note = stack_reference_state(args.resource_id, self.invoke_answers)
            self.channel.send({"kind": "note", "message": note})
            return args.resource_id, state
        place = self.place_for(args.provider or "", args.typ.split(":")[0])
        state = read_outputs(args.typ, args.name, args.resource_id, dict(args.inputs), place)
        return args.resource_id, provider_state(state, output_types(args.typ))

    def call(self, args: MockCallArgs) -> tuple[dict, list]:
        package = args.token.split(":")[0]
        place = self.place_for(args.provider or "", package)
        try:
            found = answer(
                args.token,
                dict(args.args),
                place,
                RESULT_TYPES.get(args.token),
                self.invoke_answers,
            )
        except (PolicyDocumentError, InvokeError) as err:
            message = f"The provider function '{args.token}' would fail: {err}."
            self.channel.send({"kind": "error", "cause": "invoke", "message": message})
            raise RuntimeError(message) from None
        self._note(args.token, found)
        return found.result, []

    def _note(self, token: str, found: Any) -> None:
        """List each function once in the report's notes, saying how it was answered."""
        if token in self._noted:
            return
        self._noted.add(token)
        if found.unknown:
            self.offline_unknowns.append(f"{token} ({', '.join(found.unknown)})")
        if found.source == "recorded":
            text = f"{token} answered from --invoke-answers."
        elif token == "aws:index/getCallerIdentity:getCallerIdentity":
            text = (
                f"{token} answered offline for the account {found.result['accountId']} (set "
                "gate:accountId or aws:allowedAccountIds to use yours)."
            )
        elif found.source == "exact":
            text = f"{token} answered offline as the provider computes it from the stack config."
        else:
            unknown = ", ".join(found.unknown) if found.unknown else "none"
            text = (
                f"{token} answered offline from the SDK's result type: identifiers "
                f"synthesized, arguments echoed, {len(found.absent)} descriptive properties "
                f"absent; unknown (only the account knows them): {unknown}."
            )
        self.channel.send({"kind": "note", "message": text})


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
                "inputs": _encode(inputs),
                "outputs": _encode(response.object),
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
                "outputs": _encode(request.outputs),
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
            provider_id = UNKNOWN if self.world.fresh else stable_uuid(urn)
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
                    "inputs": _encode(_struct(inputs)),
                    "outputs": _encode(_struct(inputs)),
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


def _encode(struct: struct_pb2.Struct) -> str:
    """A property map for the parent: the protobuf bytes, exactly as the engine would pass them."""
    return base64.b64encode(struct.SerializeToString(deterministic=True)).decode("ascii")


def _struct(value: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    json_format.ParseDict(value, struct)
    return struct


def _json_or_value(value: Any) -> Any:
    """Provider config arrives as strings; lists and objects as their JSON text."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


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


class _LogToChannel(logging.Handler):
    """``pulumi.log`` from the program reaches the mock engine's logger; forward it."""

    def __init__(self, channel: Channel) -> None:
        super().__init__(level=logging.INFO)
        self.channel = channel

    def emit(self, record: logging.LogRecord) -> None:
        self.channel.send(
            {"kind": "log", "severity": record.levelname.lower(), "message": record.getMessage()}
        )


def _own_frame(error: BaseException, program_dir: Path) -> traceback.FrameSummary | None:
    """The innermost frame of ``error`` in the program's own files (not its virtualenv's)."""
    own = None
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename)
        inside = path.is_absolute() and program_dir in path.parents
        if inside and not any(part in ("site-packages", ".venv") for part in path.parts):
            own = frame
    return own


def describe_exception(error: BaseException, program_dir: Path) -> dict[str, Any]:
    """The exception and the program's own innermost frame (not the SDK's, not the gate's).

    When the exception surfaced in SDK code (an RPC, an apply), the frame is looked for along
    its chain of causes; chains can be cyclic, so each exception is visited once.
    """
    record: dict[str, Any] = {"exception": f"{type(error).__name__}: {error}".rstrip(": ")}
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        own = _own_frame(current, program_dir)
        if own is not None:
            record["frame"] = {
                "file": str(Path(own.filename).relative_to(program_dir)),
                "line": own.lineno,
                "function": own.name,
                "code": own.line or "",
            }
            break
        current = current.__cause__ or current.__context__
    return record


async def _program(main_path: Path) -> None:
    """Run the program's module, then let its registrations start before the SDK's final wait.

    The SDK's shutdown (``wait_for_rpcs``) awaits the outstanding RPCs first and only then every
    other pending output; entered before any registration RPC has started, it goes straight to
    waiting on all pending outputs, one completion at a time, which is quadratic in the number of
    resources. Yielding to the loop until the first RPCs are in flight keeps it linear.
    """
    runpy.run_path(str(main_path), run_name="__main__")
    rpcs = settings.SETTINGS.rpc_manager.rpcs
    for _ in range(1000):
        if rpcs:
            break
        await asyncio.sleep(0)


def run_job(job: dict[str, Any], channel_fd: int) -> None:
    """Run one program and exit the process; every outcome is reported on ``channel_fd``."""
    # Registrations reach the monitor on executor threads, whose pipe writes release the GIL; at
    # the default 5 ms switch interval each write then waits out the event loop's slice (the
    # "convoy effect") and the gate ran 2x slower than the same program without it.
    sys.setswitchinterval(0.0005)
    source_position.install()
    channel = Channel(channel_fd)
    gate_root = job["gateRoot"]
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != gate_root]
    program_dir = Path(job["directory"])
    main_path = Path(job["main"])
    world = World(job, channel)
    monitor = RecordingMonitor(world, job["project"], job["stack"])
    logger = logging.getLogger("gate.program")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    logger.addHandler(_LogToChannel(channel))
    configure(
        MockSettings(
            monitor=monitor,
            monitor_features=set(monitor.GetDeploymentInfo(empty_pb2.Empty()).supportedFeatures),
            engine=MockEngine(logger),
            project=job["project"],
            stack=job["stack"],
            dry_run=True,
            organization="organization",
            callbacks=None,
        )
    )
    set_all_config(job["config"], job["secretKeys"])
    record_result_types()
    invoke_trace.install(channel)  # where documents built by provider functions come from
    plain_unknowns.install()  # an offline unknown made into text fails, never becomes content
    os.chdir(program_dir)
    sys.argv = [str(main_path)]
    sys.path.insert(0, str(main_path if main_path.is_dir() else main_path.parent))
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    monitor.loop = loop
    status = 0
    try:
        loop.run_until_complete(run_in_stack(lambda: _program(main_path)))
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            channel.send(
                {"kind": "error", "cause": "program", "exception": f"sys.exit({exit_.code})"}
            )
            status = 1
    except BaseException as error:  # the program's failure, whatever it is, is the report
        record = {"kind": "error", "cause": "program", **describe_exception(error, program_dir)}
        if world.unknown_invokes and isinstance(error, AssertionError):  # pulumi.get(None, ..)
            record["hint"] = _unknown_invoke_hint(world.unknown_invokes[0], world.offline_unknowns)
        elif world.offline_unknowns and plain_unknowns.is_unknown_misuse(error):
            record["hint"] = plain_unknowns.hint(world.offline_unknowns)
        channel.send(record)
        status = 1
    provider_modules = sorted(m for m in sys.modules if m.startswith(PRELOADABLE))
    channel.send({"kind": "done", "status": status, "modules": provider_modules})
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)  # skip interpreter teardown: pending SDK threads have nothing left to do


def _unknown_invoke_hint(token: str, offline_unknowns: list[str]) -> str:
    """Why a program fails after an invoke was answered unknown, and what to write instead."""
    function = token.rsplit(":", 1)[-1]
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in function)
    if offline_unknowns:
        return (
            f"The program called {token} with arguments that hold a value the offline gate "
            f"cannot know: it answered {', '.join(offline_unknowns)} unknown, since only the "
            "account holds it. The plain form "
            f"({snake}(...)) cannot hold the unknown result. Supply the real answers with "
            "--invoke-answers FILE (see docs/gate.md), or call the output form "
            f"({snake}_output(...)) so the result stays an unknown Output"
        )
    return (
        f"The program called {token} with arguments not known until apply (outputs of "
        "resources not yet created, as in the first preview of a new stack). The engine does "
        "not run such an invoke during preview and its result is unknown, which the plain form "
        f"({snake}(...)) cannot hold (the SDK fails it the same way under pulumi preview). "
        "Call the "
        f"output form ({snake}_output(...)) so the result stays an unknown Output, or build "
        "the arguments from known values"
    )


PRELOADABLE = ("pulumi_aws.",)
"""Provider SDK modules a warm interpreter may import ahead of the next program (see zygote)."""


def main() -> None:
    """Entry point of a directly started child: the job is in ``GATE_JOB``."""
    job = json.loads(os.environ.pop("GATE_JOB"))
    run_job(job, job["fd"])


if __name__ == "__main__":
    main()
