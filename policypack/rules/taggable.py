"""Which AWS resource types take a `tags` input, as a table generated from the pulumi-aws SDK.

Importing all of pulumi_aws at pack start would take many seconds, so the table is generated once
from the SDK's sources (`python -m rules.taggable` in policypack/, or
`python -m policypack.rules.taggable` from the repository root) and a test regenerates it and
compares. Each type with a `tags` input gets one of:

- `map`: `tags` is a key->value map and the type has a `tagsAll` output. The AWS provider's
  tagging framework always pairs the two (`tags_all` = provider `default_tags` merged with
  `tags`), so these are resource tags and the provider's default tags apply.
- `blocks`: `tags` is a list of {key, value, ...} blocks (`autoscaling.Group`): resource tags, but
  with no `tagsAll` the provider's default tags never reach them.
- `not-tagging`: `tags` is a map the tagging framework does not handle (no `tagsAll`): it is not
  the resource's tags (`inspector.ResourceGroup`'s `tags` select the EC2 instances to assess), so
  the tag policy does not apply and default tags are never credited.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Final

from .sdk_classes import resource_classes

TABLE_PATH: Final = Path(__file__).with_name("taggable_types.json")

_TAGS_INPUT = re.compile(r"^\s+tags: pulumi\.Input\[Optional\[(\w+)\[(.*)$", re.M)
_TAGS_ALL_OUTPUT = re.compile(r"^    def tags_all\(self\)", re.M)
SHAPES: Final = ("map", "blocks", "not-tagging")


def generate_from_sdk() -> dict[str, str]:
    """Type token -> one of `SHAPES`, for every pulumi-aws resource with a tags input.

    Raises ValueError for a shape this module does not know how to judge (a new SDK to review).
    """
    table: dict[str, str] = {}
    for resource in resource_classes():
        tags = _TAGS_INPUT.search(resource.inputs)
        if tags is None:
            continue
        container, element = tags.groups()
        tags_all = _TAGS_ALL_OUTPUT.search(resource.source) is not None
        if container == "Mapping":
            table[resource.token] = "map" if tags_all else "not-tagging"
        elif container == "Sequence" and "TagArgs" in element:
            if tags_all:
                raise ValueError(
                    f"{resource.token}: tag blocks with a tagsAll output; decide whether "
                    "provider default tags reach them before regenerating"
                )
            table[resource.token] = "blocks"
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
