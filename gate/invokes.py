"""What the mock engine answers to provider functions (invokes), offline.

AWS functions the provider computes without an API call are answered exactly
(``gate.exact_invokes``). Every other function of every package is answered from its SDK's own
result type (the ``Get*Result`` output class the function declares): identifiers (``id``, ``ids``,
``*Id``, ``arn``, ``*Arn``, ``name``, zones, account, region, partition) get deterministic,
region- and partition-true values, and the arguments the program passed are echoed back where the
result declares them. Content only the real account could say (an existing policy's document, a
parameter's value, an AWS-owned service account) comes back unknown, so policies say "cannot
verify" instead of judging invented content; other descriptive properties (an image's
architecture) are absent. A ``--invoke-answers`` file of recorded real answers takes precedence.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
import typing
from collections import abc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pulumi import _types
from pulumi.runtime.rpc import UNKNOWN  # the engine's marker for an unknown value

from .exact_invokes import EXACT_INVOKES, exact_answer
from .invoke_answers import recorded_answer
from .mock_world import Place, digest

_EC2_PREFIXES = {
    "vpc": "vpc",
    "subnet": "subnet",
    "securityGroup": "sg",
    "ami": "ami",
    "image": "ami",
    "internetGateway": "igw",
    "natGateway": "nat",
    "routeTable": "rtb",
    "networkInterface": "eni",
    "ebsVolume": "vol",
    "volume": "vol",
    "ebsSnapshot": "snap",
    "snapshot": "snap",
    "instance": "i",
    "eip": "eipalloc",
    "allocation": "eipalloc",
    "vpcEndpoint": "vpce",
    "networkAcl": "acl",
    "prefixList": "pl",
    "keyPair": "key",
    "launchTemplate": "lt",
    "transitGateway": "tgw",
    "vpcPeeringConnection": "pcx",
    "customerGateway": "cgw",
    "vpnGateway": "vgw",
    "dhcpOptions": "dopt",
}
"""EC2's resource id prefixes (``vpc-0abc...``), by the noun the SDK uses."""

_FALLBACK_GLOBAL = frozenset({"iam", "route53", "cloudfront", "organizations", "shield", "waf"})


@functools.cache
def global_services() -> frozenset[str]:
    """Services whose ARNs carry no region: ``isRegionalized: false`` in botocore's endpoints.

    S3 is regional, but its bucket ARNs have neither region nor account (``arn:aws:s3:::name``).
    """
    spec = importlib.util.find_spec("botocore")
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        return _FALLBACK_GLOBAL | {"s3"}
    try:
        data = json.loads((Path(locations[0]) / "data" / "endpoints.json").read_text("utf-8"))
        services = next(p for p in data["partitions"] if p["partition"] == "aws")["services"]
    except (OSError, ValueError, KeyError, StopIteration):
        return _FALLBACK_GLOBAL | {"s3"}
    return frozenset(n for n, s in services.items() if s.get("isRegionalized") is False) | {"s3"}


_ARN_SERVICES = {
    "lb": "elasticloadbalancing",
    "alb": "elasticloadbalancing",
    "elb": ("elasticloadbalancing"),
    "sfn": "states",
    "ebs": "ec2",
    "cognito": "cognito-idp",
}
_AWS_OWNED = re.compile(r"^getIpRanges$")
"""Functions that answer with AWS's own accounts or data, which the gate does not ship."""


@dataclass(frozen=True)
class Answer:
    """An invoke's result and how it was obtained, for the report's notes."""

    result: dict[str, Any]
    source: str  # "exact", "recorded" or "offline"
    unknown: tuple[str, ...] = field(default_factory=tuple)
    absent: tuple[str, ...] = field(default_factory=tuple)


def answer(
    token: str,
    args: dict[str, Any],
    place: Place,
    result_type: type | None,
    recorded: dict[str, Any] | None,
) -> Answer:
    """The result of ``token`` called with ``args`` against a provider at ``place``.

    ``result_type`` is the SDK's output class for the function (None when the SDK did not say);
    ``recorded`` the ``--invoke-answers`` document. Raises InvokeError where the provider would
    fail the call.
    """
    found = recorded_answer(recorded or {}, token, args)
    if found is not None:
        return Answer(found, "recorded")
    if token in EXACT_INVOKES:
        return Answer(exact_answer(token, args, place), "exact")
    return _offline(token, args, place, result_type)


@dataclass(frozen=True)
class _Call:
    """One call being answered: what the synthesized identifiers are derived from."""

    package: str
    service: str
    noun: str  # getVpcEndpoint -> "vpcEndpoint"
    seed: str
    place: Place
    named: str | None  # the name the program looked the resource up by, if any


def _offline(token: str, args: dict[str, Any], place: Place, result_type: type | None) -> Answer:
    package, module, function = [*token.split(":"), "", ""][:3]
    function = function or module
    if package == "aws" and isinstance(args.get("region"), str) and args["region"]:
        place = Place(args["region"], place.account, place.default_tags)  # v7's per-call region
    noun = function[3:4].lower() + function[4:] if function.startswith("get") else function
    call = _Call(
        package=package,
        service=module.split("/")[0],
        noun=noun,
        seed=token + json.dumps(args, sort_keys=True, default=str),
        place=place,
        named=next(
            (
                args[key]
                for key in (noun, f"{noun}Name", "name")
                if isinstance(args.get(key), str) and args[key]
            ),
            None,
        ),
    )
    types = _types.output_type_types(result_type) if result_type is not None else {}
    result: dict[str, Any] = {}
    unknown: list[str] = []
    absent: list[str] = []
    for prop, hint in sorted(types.items()):
        if prop in args:
            result[prop] = args[prop]
            continue
        value = _identifier(prop, _unwrap(hint), call, function)
        if value is None and _is_content(prop, _unwrap(hint)):
            value = UNKNOWN
        if value == UNKNOWN:
            unknown.append(prop)
        elif value is None:
            absent.append(prop)
            value = _empty_collection(hint)
        result[prop] = value
    return Answer(result, "offline", tuple(unknown), tuple(absent))


def _empty_collection(hint: Any) -> list[Any] | dict[str, Any] | None:
    """A list or map the result type declares required is empty, never null: the provider always
    returns one, and programs iterate it (``for ns in zone.name_servers``) or read it
    (``vpc.tags.get("Name")``) without a check. Optional ones, and other types, stay absent."""
    origin = typing.get_origin(hint)
    if origin in (list, abc.Sequence):
        return []
    if origin in (dict, abc.Mapping):
        return {}
    return None


_CONTENT_RE = re.compile(
    r"(^|[a-z])(policy|Policy|document|Document|json|Json)$|^(value|insecureValue|secretString|"
    r"secretBinary|plaintext|content|body|definition|userData|template|templateBody)$"
)


def _is_content(prop: str, hint: Any) -> bool:
    """A string that carries content a policy may judge (a document, a parameter's value).

    It comes back unknown, so policies say they cannot verify it. Other properties the gate cannot
    know (an image's architecture, a VPC's CIDR) are absent (None): an unknown there would make
    the output form of every lookup unknown as a whole (the SDK marks an invoke output holding an
    unknown as unknown), and skip every resource a program declares from its result.
    """
    return hint is str and _CONTENT_RE.search(prop) is not None


def _unwrap(hint: Any) -> Any:
    """``Optional[X]`` -> ``X``."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is typing.Union and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return rest[0] if len(rest) == 1 else hint
    return hint


def _is_str_list(hint: Any) -> bool:
    return typing.get_origin(hint) in (list, abc.Sequence) and typing.get_args(hint) == (str,)


def _identifier(prop: str, hint: Any, call: _Call, function: str) -> Any:
    """A value for an identifying property; None for anything only the account knows."""
    if _AWS_OWNED.search(function) and call.package == "aws" and prop in ("arn", "id"):
        return UNKNOWN  # AWS's own account for the region: a table the gate does not ship
    place = call.place
    if hint is str:
        if call.package == "aws":
            aws_value = _aws_scalar(prop, call)
            if aws_value is not None:
                return aws_value
        if prop == "id" or prop.endswith("Id"):
            return _id(prop[:-2] if prop != "id" else call.noun, call)
        if prop == "name":
            return f"{_kebab(call.noun)}-{digest(call.seed + prop)[:7]}"
        return None
    if _is_str_list(hint):
        if call.package == "aws" and prop in ("names", "zoneIds", "groupNames"):
            zones = [f"{place.region}{letter}" for letter in "abc"]
            if prop == "names":
                return zones
            if prop == "groupNames":
                return [place.region]
            return [f"{_zone_prefix(place.region)}-az{n}" for n in (1, 2, 3)]
        if prop == "ids" or prop.endswith("Ids"):
            singular = call.noun[:-1] if call.noun.endswith("s") else call.noun
            noun = singular if prop == "ids" else prop[:-3]
            return [_id(noun, call, index=n) for n in range(3)]
        if prop == "arns" or prop.endswith("Arns"):
            return [_arn(call, _id(call.noun, call, index=n)) for n in range(3)]
        return None
    return None


def _aws_scalar(prop: str, call: _Call) -> str | None:
    place = call.place
    if prop in ("accountId", "ownerId"):
        return place.account
    if prop == "region":
        return place.region
    if prop == "partition":
        return place.partition
    if prop == "dnsSuffix":
        return place.dns_suffix
    if prop == "availabilityZone":
        return f"{place.region}a"
    if prop == "availabilityZoneId":
        return f"{_zone_prefix(place.region)}-az1"
    if prop == "arn":
        return _arn(call, call.named or _id(call.noun, call))
    if prop.endswith("Arn"):
        return _arn(call, _id(call.noun, call))
    if prop in ("zoneId", "hostedZoneId") and call.service == "route53":
        return "Z" + digest(call.seed + prop)[:20].upper()
    return None


def _id(noun: str, call: _Call, index: int = 0) -> str:
    """A deterministic id in the service's format where the gate knows it (``vpc-0123...``)."""
    hashed = digest(f"{call.seed}/{noun}/{index}")
    prefix = _EC2_PREFIXES.get(noun) if call.package == "aws" else None
    if prefix is not None:
        return f"{prefix}-0{hashed[:16]}"
    if call.package == "aws" and call.service == "route53" and noun in ("zone", "hostedZone"):
        return "Z" + hashed[:20].upper()
    return f"{_kebab(noun)}-{hashed[:8]}"


def _arn(call: _Call, physical: str) -> str:
    place = call.place
    service = _ARN_SERVICES.get(call.service, call.service)
    region = "" if call.service in global_services() else place.region
    account = "" if call.service == "s3" else place.account
    resource = physical if call.service == "s3" else f"{_kebab(call.noun)}/{physical}"
    return f"arn:{place.partition}:{service}:{region}:{account}:{resource}"


_DIRECTIONS = {
    "east": "e",
    "west": "w",
    "north": "n",
    "south": "s",
    "central": "c",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
}


def _zone_prefix(region: str) -> str:
    """AWS's zone-id prefix of a region: ``us-east-1`` -> ``use1``, ``ap-south-1`` -> ``aps1``."""
    parts = region.split("-")
    if len(parts) < 3:
        return region.replace("-", "")
    geo, direction, number = parts[-3], parts[-2], parts[-1]
    head = "".join(parts[:-3]) + geo
    return f"{head}{_DIRECTIONS.get(direction, direction[:1])}{number}"


def _kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()
