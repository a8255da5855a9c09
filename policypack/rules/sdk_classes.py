"""The custom resource classes of the installed pulumi-aws SDK, read from its generated sources.

The pack's generated tables (`taggable`, `resource_policy_types`, `iam_inputs`) come from these.
Importing all of pulumi_aws would take many seconds, so only the generators read the SDK, and they
read its source text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

TOKEN: Final = re.compile(r"super\(\w+, __self__\)\.__init__\(\s*'([^']+)'")
"""A resource class's type token, as its constructor passes it to `pulumi.CustomResource`."""
_CLASS = re.compile(r"^class (\w+)\(pulumi\.CustomResource\):", re.M)
_INIT_SIGNATURE = re.compile(r"def _internal_init\(__self__,(.*?)__props__=None\):", re.S)


@dataclass(frozen=True)
class ResourceClass:
    """One generated resource class: its type token, the parameters of its `_internal_init` (its
    inputs, one per line) and the class's whole source (its outputs are properties there)."""

    token: str
    inputs: str
    source: str


def resource_classes() -> Iterator[ResourceClass]:
    """Every pulumi-aws class with a type token and an `_internal_init`, file by file in order."""
    import pulumi_aws  # noqa: PLC0415 - only the generators need the SDK, never the pack

    for path in sorted(Path(pulumi_aws.__file__).parent.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        starts = [m.start() for m in _CLASS.finditer(text)]
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            chunk = text[start:end]
            token, signature = TOKEN.search(chunk), _INIT_SIGNATURE.search(chunk)
            if token is None or signature is None:
                continue
            yield ResourceClass(token.group(1), signature.group(1), chunk)


def camel(name: str) -> str:
    """A Python input name as the engine names the property (`policy_arns` -> `policyArns`)."""
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
