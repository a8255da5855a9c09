"""A plain-form invoke's unknown, used as text, fails the program with a remedy.

The engine runs a plain-form provider function (``aws.ssm.get_parameter(...)``) and hands the
program its real result, never an unknown. Offline, a property only the account knows (a
parameter's value, an existing policy's document) is the SDK's ``pulumi.output.Unknown``
placeholder. Passed on as a resource input it reaches the pack as an unknown, as it should. Made
into text (an f-string, ``str()``, ``%s``) Python would write the placeholder's ``repr``
(``<pulumi.output.Unknown object at 0x...>``), and the pack would judge that invented content as
the program's: so the conversion raises instead, and the run stops (exit 2) with the function's
name and the two ways out. ``json.dumps``, ``+`` and ``join`` already raise a ``TypeError``
naming ``Unknown``; the same hint is attached to those.
"""

from __future__ import annotations

from typing import Any

from pulumi.output import Unknown


class OfflineUnknownError(TypeError):
    """A value the offline gate answered unknown was used as text."""


def _refuse(self: Unknown, *_: Any) -> str:
    raise OfflineUnknownError(
        "a provider function's result the offline gate cannot know (Unknown) was used as text"
    )


def install() -> None:
    """Make ``str()``/``format()`` of an unknown placeholder raise in this (program) process."""
    Unknown.__str__ = _refuse  # type: ignore[method-assign]
    Unknown.__format__ = _refuse  # type: ignore[method-assign]


def is_unknown_misuse(error: BaseException) -> bool:
    """The program failed on an unknown placeholder (formatted, serialized, concatenated)."""
    return isinstance(error, TypeError) and "Unknown" in str(error)


def hint(offline_unknowns: list[str]) -> str:
    """What the program did and what to write instead; ``offline_unknowns`` are
    ``"token (properties)"`` entries of the functions answered with unknown content."""
    return (
        "The program used, as a plain value, a provider function's result that only the "
        f"account holds: the offline gate answered {', '.join(offline_unknowns)} unknown, "
        "which a plain-form call (get_x(...)) cannot hold and which a real preview would have "
        "read from the account. Supply the real answers with --invoke-answers FILE (see "
        "docs/gate.md), or call the output form (get_x_output(...)) and build the value with "
        ".apply, so it stays an unknown Output and policies say they cannot verify it"
    )
