"""``pulumi.StackReference``: another stack's outputs, which only the Pulumi backend holds.

The engine answers a stack reference with a read (the SDK registers it as a
``pulumi:pulumi:StackReference`` resource with the referenced stack's name as its id), and read
steps run during preview, so a real preview knows the outputs. Offline there is no backend: the
outputs are those recorded in ``--invoke-answers`` under the token
``pulumi:pulumi:StackReference`` (``{"args": {"name": "org/network/prod"}, "result": {...the
stack's outputs...}}``), or else unknown, as the gate answers any value only the account holds:
what the program builds from them reaches the pack as unknown and policies say they cannot
verify it. Either way the report's notes name the stack.
"""

from __future__ import annotations

from typing import Any

from pulumi.runtime.rpc import UNKNOWN  # the engine's unknown marker (UnknownStringValue)

from .invoke_answers import recorded_answer

STACK_REFERENCE = "pulumi:pulumi:StackReference"


def stack_reference_state(stack: str, recorded: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The read state of a reference to ``stack`` (``name``, ``outputs``, ``secretOutputNames``)
    and the note that says where its outputs came from."""
    outputs = recorded_answer(recorded, STACK_REFERENCE, {"name": stack})
    if outputs is not None:
        note = f"Stack reference {stack!r}: outputs from --invoke-answers."
        return {"name": stack, "outputs": outputs, "secretOutputNames": []}, note
    note = (
        f"Stack reference {stack!r}: its outputs are unknown offline (only the Pulumi backend "
        "holds them), so what the program builds from them is unknown to the pack; record them "
        f'in --invoke-answers as {{"{STACK_REFERENCE}": [{{"args": {{"name": "{stack}"}}, '
        '"result": {...outputs...}}]}.'
    )
    return {"name": stack, "outputs": UNKNOWN, "secretOutputNames": UNKNOWN}, note
