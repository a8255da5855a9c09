"""The SDK's ``Mocks`` for the gate: the provider's answers to registrations, reads and invokes.

Each resource and invoke is answered in the place (region, account, default tags) of the provider
it runs against; outputs come from ``gate.outputs``, invoke results from ``gate.invokes``.
"""

from __future__ import annotations

import json
from typing import Any

from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs, Mocks

from gate.autonaming import parse_autonaming
from gate.child_channel import Channel
from gate.exact_invokes import InvokeError
from gate.invoke_types import RESULT_TYPES
from gate.invokes import answer
from gate.mock_world import DEFAULT_REGION, Place, stable_uuid
from gate.outputs import output_types, read_outputs, resource_outputs
from gate.policy_document import PolicyDocumentError
from gate.provider_state import provider_state
from gate.stack_references import STACK_REFERENCE, stack_reference_state


class World(Mocks):
    """The mock engine's answers, with the provider each resource and invoke runs against."""

    def __init__(self, job: dict[str, Any], channel: Channel) -> None:
        self.fresh: bool = job["fresh"]
        self.account: str = job["account"]
        self.channel = channel
        self.providers: dict[str, dict[str, Any]] = {}  # provider URN -> inputs
        self.package_config: dict[str, dict[str, Any]] = job["packageConfig"]
        self.unknown_invokes: list[str] = []  # tokens answered unknown, in call order
        self.invoke_answers: dict[str, Any] = job.get("invokeAnswers") or {}
        self._noted: set[str] = set()  # tokens already listed in the report's notes
        self.offline_unknowns: list[str] = []  # "token (props)" answered with unknown content
        self.autonaming = parse_autonaming(
            job["config"], job["organization"], job["project"], job["stack"]
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


def _json_or_value(value: Any) -> Any:
    """Provider config arrives as strings; lists and objects as their JSON text."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value
