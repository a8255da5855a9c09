"""What the mock engine answers for resources: realistic outputs (invokes: ``gate.invokes``).

Outputs are deterministic (derived from the URN) so that two runs print the same report. Names
follow the AWS provider's auto-naming (``<name>-<7 hex>``) and ARNs follow AWS's formats, so that
IAM documents built from them are checkable, as in the preview of an already-deployed stack.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import re
import uuid
from collections.abc import Callable, Mapping
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


def _digest(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def autoname(name: str, seed: str, lower: bool = False) -> str:
    """The provider's auto-name: the logical name, a dash and seven hex characters."""
    physical = f"{name}-{_digest(seed)[:7]}"
    return physical.lower() if lower else physical


def stable_uuid(seed: str) -> str:
    return str(uuid.UUID(_digest(seed)[:32]))


@dataclass(frozen=True)
class _Kind:
    """How one resource type is named and which ARN it gets."""

    name_property: str | None
    arn: Callable[[Place, str, dict[str, Any]], str] | None = None
    id_is: str = "name"  # "name", "arn" or "url"
    lower: bool = False
    extra: Callable[[Place, str, dict[str, Any], str], dict[str, Any]] | None = None


def _iam_path(inputs: dict[str, Any]) -> str:
    path = inputs.get("path")
    return path if isinstance(path, str) and path else "/"


def _bucket_extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict:
    return {
        "bucketDomainName": f"{physical}.s3.{place.dns_suffix}",
        "bucketRegionalDomainName": f"{physical}.s3.{place.region}.{place.dns_suffix}",
        "region": place.region,
        "bucketRegion": place.region,
        "hostedZoneId": "Z3AQBSTGFYJSTF",
    }


def _function_extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict:
    arn = f"arn:{place.partition}:lambda:{place.region}:{place.account}:function:{physical}"
    return {
        "invokeArn": (
            f"arn:{place.partition}:apigateway:{place.region}:lambda:path/2015-03-31/functions/"
            f"{arn}/invocations"
        ),
        "qualifiedArn": f"{arn}:$LATEST",
        "version": "$LATEST",
        "lastModified": "2026-01-01T00:00:00.000+0000",
    }


def _role_extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict:
    return {"uniqueId": "AROA" + _digest(seed)[:17].upper(), "createDate": "2026-01-01T00:00:00Z"}


def _queue_extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict:
    return {"url": f"https://sqs.{place.region}.{place.dns_suffix}/{place.account}/{physical}"}


def _key_extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict:
    return {"keyId": physical}


def _arn(service: str, resource: str, regional: bool = True) -> Callable[..., str]:
    def build(place: Place, physical: str, inputs: dict[str, Any]) -> str:
        region = place.region if regional else ""
        account = place.account if service != "s3" else ""
        return (
            f"arn:{place.partition}:{service}:{region}:{account}:"
            f"{resource.format(name=physical, path=_iam_path(inputs))}"
        )

    return build


_BUCKET = _Kind("bucket", _arn("s3", "{name}", regional=False), lower=True, extra=_bucket_extra)
_KINDS: dict[str, _Kind] = {
    "aws:s3/bucket:Bucket": _BUCKET,
    "aws:s3/bucketV2:BucketV2": _BUCKET,
    "aws:lambda/function:Function": _Kind(
        "name", _arn("lambda", "function:{name}"), extra=_function_extra
    ),
    "aws:iam/role:Role": _Kind(
        "name", _arn("iam", "role{path}{name}", regional=False), extra=_role_extra
    ),
    "aws:iam/policy:Policy": _Kind(
        "name", _arn("iam", "policy{path}{name}", regional=False), id_is="arn"
    ),
    "aws:iam/user:User": _Kind("name", _arn("iam", "user{path}{name}", regional=False)),
    "aws:iam/group:Group": _Kind("name", _arn("iam", "group{path}{name}", regional=False)),
    "aws:cloudwatch/logGroup:LogGroup": _Kind("name", _arn("logs", "log-group:{name}")),
    "aws:sqs/queue:Queue": _Kind("name", _arn("sqs", "{name}"), id_is="url", extra=_queue_extra),
    "aws:sns/topic:Topic": _Kind("name", _arn("sns", "{name}"), id_is="arn"),
    "aws:kms/key:Key": _Kind(None, _arn("kms", "key/{name}"), extra=_key_extra),
    "aws:kms/alias:Alias": _Kind("name", _arn("kms", "{name}")),
    "aws:dynamodb/table:Table": _Kind("name", _arn("dynamodb", "table/{name}")),
    "aws:ecr/repository:Repository": _Kind("name", _arn("ecr", "repository/{name}"), lower=True),
    "aws:sfn/stateMachine:StateMachine": _Kind("name", _arn("states", "stateMachine:{name}")),
    "aws:cloudwatch/eventRule:EventRule": _Kind("name", _arn("events", "rule/{name}")),
}


def autoname_inputs(type_: str, name: str, urn: str, inputs: Mapping[str, Any]) -> dict[str, str]:
    """What the provider's Check adds to the inputs: an auto-name where the program set none."""
    kind = _KINDS.get(type_)
    if kind is None or kind.name_property is None or kind.name_property in inputs:
        return {}
    if type_.startswith("aws:sqs/queue") and "fifoQueue" in inputs and inputs["fifoQueue"] is True:
        return {"name": autoname(name, urn) + ".fifo"}
    return {kind.name_property: autoname(name, urn, kind.lower)}


def checked_inputs(type_: str, name: str, urn: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Inputs after the provider's Check (see ``autoname_inputs``)."""
    return {**inputs, **autoname_inputs(type_, name, urn, inputs)}


def resource_outputs(
    type_: str,
    name: str,
    urn: str,
    inputs: dict[str, Any],
    place: Place,
    *,
    fresh: bool,
    properties: frozenset[str] | None = None,
) -> tuple[str, dict[str, Any]]:
    """The (id, state) the mock engine returns for a registration.

    ``fresh`` models the first preview of a new stack: only the inputs (with their auto-name) are
    known; the id and every computed output stay unknown. ``properties`` are the type's declared
    output properties when the SDK knows them: only those get a generic ARN, region or tagsAll.
    """
    checked = checked_inputs(type_, name, urn, inputs)
    if fresh:
        return "", checked
    if isinstance(checked.get("region"), str) and checked["region"]:
        place = Place(checked["region"], place.account, place.default_tags)
    declared = properties if properties is not None else frozenset()
    kind = _KINDS.get(type_)
    state = dict(checked)
    if kind is None:
        physical = autoname(name, urn)
        if "arn" in declared and "arn" not in state:
            module, _, resource = type_.split(":")[1].partition("/")
            service = module.split("/")[0]
            state["arn"] = f"arn:{place.partition}:{service}:{place.region}:{place.account}:" + (
                f"{resource.lower()}/{physical}"
            )
        resource_id = physical
    else:
        physical = (
            str(checked[kind.name_property])
            if kind.name_property
            else stable_uuid(urn)  # keys are named by a generated id
        )
        if kind.arn is not None:
            state["arn"] = kind.arn(place, physical, checked)
        if kind.extra is not None:
            state.update(kind.extra(place, physical, checked, urn))
        resource_id = {"name": physical, "arn": state.get("arn", physical)}.get(
            kind.id_is, state.get("url", physical)
        )
    if "tagsAll" in declared or (properties is None and "tags" in checked):
        state["tagsAll"] = {**place.default_tags, **(checked.get("tags") or {})}
    if "region" in declared and type_.startswith("aws:"):
        state["region"] = place.region
    state["id"] = resource_id
    return resource_id, state


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
