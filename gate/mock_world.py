"""The mock world's facts: AWS partitions and regions, the place (region, account, default tags)
a resource lives in, and deterministic names (resource outputs: ``gate.outputs``; invokes:
``gate.invokes``).

Values are derived from the URN so that two runs print the same report; names follow the AWS
provider's auto-naming (``<name>-<7 hex>``).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class Partition:
    """An AWS partition: its id, DNS suffix and the regions it holds (name -> description)."""

    id: str
    dns_suffix: str
    region_regex: str
    regions: dict[str, str]


_FALLBACK_PARTITIONS = (
    Partition("aws", "amazonaws.com", r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$", {}),
    Partition("aws-cn", "amazonaws.com.cn", r"^cn\-\w+\-\d+$", {}),
    Partition("aws-us-gov", "amazonaws.com", r"^us\-gov\-\w+\-\d+$", {}),
)


@functools.cache
def partitions() -> tuple[Partition, ...]:
    """AWS's partitions as the SDKs ship them (botocore's ``partitions.json``, read, not imported).

    The provider resolves a region's partition, DNS suffix and description from the same data.
    """
    spec = importlib.util.find_spec("botocore")
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        return _FALLBACK_PARTITIONS
    try:
        data = json.loads((Path(locations[0]) / "data" / "partitions.json").read_text("utf-8"))
        return tuple(
            Partition(
                entry["id"],
                entry["outputs"]["dnsSuffix"],
                entry["regionRegex"],
                {name: info.get("description", name) for name, info in entry["regions"].items()},
            )
            for entry in data["partitions"]
        )
    except (OSError, ValueError, KeyError):
        return _FALLBACK_PARTITIONS


@functools.cache
def partition_of(region: str) -> Partition:
    """The partition a region belongs to: listed there, or matching its name pattern."""
    known = partitions()
    for partition in known:
        if region in partition.regions:
            return partition
    for partition in known:
        if re.match(partition.region_regex, region):
            return partition
    return known[0]


@dataclass(frozen=True)
class Place:
    """Where a resource lives: partition, region and account of its provider."""

    region: str
    account: str
    default_tags: dict[str, str] = field(default_factory=dict)

    @property
    def partition(self) -> str:
        return partition_of(self.region).id

    @property
    def dns_suffix(self) -> str:
        return partition_of(self.region).dns_suffix


def digest(seed: str) -> str:
    """The hex SHA-256 of ``seed``: every deterministic placeholder value is cut from it."""
    return hashlib.sha256(seed.encode()).hexdigest()


def autoname(name: str, seed: str, lower: bool = False) -> str:
    """The provider's auto-name: the logical name, a dash and seven hex characters."""
    physical = f"{name}-{digest(seed)[:7]}"
    return physical.lower() if lower else physical


def stable_uuid(seed: str) -> str:
    return str(uuid.UUID(digest(seed)[:32]))


def go_json_text(value: Any) -> str:
    """``value`` as Go's ``json.Marshal`` writes it: compact, keys sorted, ``<>&`` escaped."""
    text = json.dumps(_go_numbers(value), separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _go_numbers(value: Any) -> Any:
    """Numbers arrive as doubles; Go prints an integral double without a fraction."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, dict):
        return {k: _go_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_go_numbers(v) for v in value]
    return value
