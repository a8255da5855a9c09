"""Which AWS resource types take a `tags` input, as a table generated from the pulumi-aws SDK.

Importing all of pulumi_aws at pack start would take many seconds, so the table is generated once
from the SDK's sources (`python -m rules.taggable` in policypack/, or
`python -m policypack.rules.taggable` from the repository root) and a test regenerates it and
compares. `map` types take `tags` as a key->value map (provider default tags apply); `blocks`
types take a list of {key, value} blocks (the provider's default tags do not apply to them).
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Final

TABLE_PATH: Final = Path(__file__).with_name("taggable_types.json")

_CLASS = re.compile(r"^class (\w+)\(pulumi\.CustomResource\):", re.M)
_INIT_SIGNATURE = re.compile(r"def _internal_init\(__self__,(.*?)__props__=None\):", re.S)
_TAGS_INPUT = re.compile(r"^\s+tags: pulumi\.Input\[Optional\[(\w+)\[(.*)$", re.M)
_TOKEN = re.compile(r"super\(\w+, __self__\)\.__init__\(\s*'([^']+)'")


def generate_from_sdk() -> dict[str, str]:
    """Type token -> "map" | "blocks", for every pulumi-aws resource with a tags input."""
    import pulumi_aws  # noqa: PLC0415 - only the generator needs the SDK, never the pack

    table: dict[str, str] = {}
    for path in sorted(Path(pulumi_aws.__file__).parent.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        starts = [m.start() for m in _CLASS.finditer(text)]
        for index, start in enumerate(starts):
            end = starts[index + 1] if index + 1 < len(starts) else len(text)
            chunk = text[start:end]
            token, signature = _TOKEN.search(chunk), _INIT_SIGNATURE.search(chunk)
            if token is None or signature is None:
                continue
            tags = _TAGS_INPUT.search(signature.group(1))
            if tags is None:
                continue
            container, element = tags.groups()
            if container == "Mapping":
                table[token.group(1)] = "map"
            elif container == "Sequence" and "TagArgs" in element:
                table[token.group(1)] = "blocks"
    return dict(sorted(table.items()))


@functools.cache
def taggable_types() -> dict[str, str]:
    return json.loads(TABLE_PATH.read_text(encoding="utf-8"))


def main() -> int:
    table = generate_from_sdk()
    TABLE_PATH.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} taggable types to {TABLE_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
