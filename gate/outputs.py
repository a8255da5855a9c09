"""What a provider returns for a registration: the checked inputs (auto-name) and the outputs.

Outputs are deterministic (derived from the URN) so that two runs print the same report. By
default they model the preview of an already-deployed stack, where the engine holds each
resource's full state: every output the SDK class declares has a value (AWS-format ARNs and names
for the types in ``gate.aws_kinds``, realistic placeholders for the rest, null for an optional
input the program left unset). ``fresh`` models the first preview of a new stack: the checked
inputs are known and every output-only property is unknown.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
from collections.abc import Mapping
from typing import Any

from pulumi import _types
from pulumi.output import Unknown
from pulumi.runtime import rpc

from .autonaming import Autonaming
from .aws_kinds import KINDS
from .ip_placeholders import ip_placeholder
from .mock_world import Place, autoname, digest, stable_uuid

_PLAIN_DEFAULT = Autonaming()


@functools.cache
def resource_class(type_: str) -> type | None:
    """The SDK class registered for a resource type, if its package is imported."""
    package, _, rest = type_.partition(":")
    module = rest.partition(":")[0]
    for registered in rpc._RESOURCE_MODULES.get(f"{package}:{module}", []):
        info = getattr(registered, "mod_info", None)
        if not isinstance(info, dict) or type_ not in info.get("classes", {}):
            continue
        try:
            return getattr(importlib.import_module(info["fqn"]), info["classes"][type_])
        except (ImportError, AttributeError):
            return None
    return None


@functools.cache
def output_types(type_: str) -> dict[str, Any] | None:
    """Engine name -> declared output type of a type's properties; None when the SDK is unknown."""
    cls = resource_class(type_)
    if cls is None:
        return None
    try:
        return _types.resource_types(cls)
    except Exception:  # an SDK class whose hints do not resolve: names only
        return dict.fromkeys(_types.resource_pulumi_to_py_names(cls))


@functools.cache
def input_names(type_: str) -> tuple[frozenset[str], bool]:
    """(engine names of the type's inputs, whether ``name`` is an optional input).

    Read from the SDK's ``<Class>Args`` input type. pulumi-aws's bridge auto-names every resource
    whose ``name`` is optional (``SetAutonaming`` in pulumi-terraform-bridge).
    """
    cls = resource_class(type_)
    args = getattr(sys.modules.get(cls.__module__), f"{cls.__name__}Args", None) if cls else None
    if args is None or not _types.is_input_type(args):
        return frozenset(), False
    names = frozenset(_types.input_type_py_to_pulumi_names(args).values())
    try:
        parameter = inspect.signature(args.__init__).parameters.get("name")
    except (TypeError, ValueError):
        parameter = None
    return names, parameter is not None and parameter.default is None


def autoname_inputs(
    type_: str,
    name: str,
    urn: str,
    inputs: Mapping[str, Any],
    autonaming: Autonaming = _PLAIN_DEFAULT,
) -> dict[str, str]:
    """What the provider's Check adds to the inputs: a physical name where the program set none.

    The name property is the modelled type's (``bucket`` for S3 buckets), or ``name`` for any
    type with an optional ``name`` input. ``pulumi:autonaming`` decides the name: the provider's
    own ``<name>-<7 hex>`` by default, none when disabled, the engine's proposed name otherwise.
    """
    kind = KINDS.get(type_)
    if kind is not None:
        property_ = kind.name_property
    else:
        property_ = "name" if input_names(type_)[1] else None
    if property_ is None or property_ in inputs:
        return {}
    prefix_key = f"{property_}Prefix"  # namePrefix, bucketPrefix
    if prefix_key in inputs and isinstance(inputs[prefix_key], str):
        # the provider names it (terraform's id.PrefixedUniqueId: the prefix, a UTC timestamp and
        # a counter, 26 digits), not the bridge's auto-name
        digits = str(int(digest(urn)[:24], 16))[:26].rjust(26, "0")
        return {property_: inputs[prefix_key] + digits}
    mode, proposed = autonaming.physical_name(type_, name, urn)
    if mode == "disabled":
        return {}
    if proposed is not None:
        return {property_: proposed}
    lower = kind is not None and kind.lower
    if type_.startswith("aws:sqs/queue") and _is_true(inputs, "fifoQueue"):
        return {property_: autoname(name, urn) + ".fifo"}
    return {property_: autoname(name, urn, lower)}


def _is_true(inputs: Mapping[str, Any], key: str) -> bool:
    return key in inputs and inputs[key] is True  # a Struct or a dict


def resource_outputs(
    type_: str,
    name: str,
    urn: str,
    inputs: dict[str, Any],
    place: Place,
    *,
    fresh: bool,
    autonaming: Autonaming = _PLAIN_DEFAULT,
    physical: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """The (id, state) the mock engine returns for a registration (id "" when unknown);
    ``physical`` names an existing resource (a read) instead of its auto-name."""
    checked = {**inputs, **autoname_inputs(type_, name, urn, inputs, autonaming)}
    declared = output_types(type_)
    if isinstance(checked.get("region"), str) and checked["region"]:
        place = Place(checked["region"], place.account, place.default_tags)
    state = dict(checked)
    # Known at plan time: the provider merges its default tags and fills its region in the plan.
    if (declared is not None and "tagsAll" in declared) or (declared is None and "tags" in state):
        state["tagsAll"] = merge_tags(place.default_tags, checked.get("tags"))
    if declared is not None and "region" in declared and type_.startswith("aws:"):
        state.setdefault("region", place.region)
    inputs_of, _ = input_names(type_)
    if fresh:
        for property_ in declared or ():
            if property_ not in state and property_ not in inputs_of and property_ != "id":
                state[property_] = Unknown()
        return "", state
    kind = KINDS.get(type_)
    physical = physical or _physical(kind, name, urn, checked)
    if kind is not None:
        if kind.arn is not None:
            state["arn"] = kind.arn(place, physical, checked)
        if kind.extra is not None:
            state.update(kind.extra(place, physical, checked, urn))
        resource_id = physical if kind.id_is == "name" else state.get(kind.id_is, physical)
    else:
        resource_id = physical
    for property_, declared_type in (declared or {}).items():
        if property_ not in state and property_ != "id":
            typ = _types.unwrap_optional_type(declared_type) if declared_type else None
            if property_ in inputs_of:
                state[property_] = None
            elif typ in (str, None, Any):
                state[property_] = _string_placeholder(type_, property_, physical, urn, place)
            else:
                state[property_] = _placeholder(typ)
    state["id"] = resource_id
    return resource_id, state


def read_outputs(
    type_: str, name: str, resource_id: str, state: dict[str, Any], place: Place
) -> dict[str, Any]:
    """The state of an existing resource read with ``.get(name, id)``: what the gate reports for a
    deployed resource of that type whose physical name the id gives, with the state the program
    passed on top. The engine runs read steps during preview, so every value is known."""
    kind = KINDS.get(type_)
    physical = resource_id.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    property_ = kind.name_property if kind is not None else "name"
    seed = {property_: physical} if property_ else {}
    _, outputs = resource_outputs(
        type_, name, f"{type_}::{name}", seed, place, fresh=False, physical=physical
    )
    if resource_id.startswith("arn:") and "arn" in outputs:
        outputs["arn"] = resource_id  # e.g. a policy read by ARN, AWS-managed ones included
    generated = outputs.get("id")
    if kind is not None and kind.id_is == "id" and isinstance(generated, str):
        # an AWS-generated id (an API's): the ARNs built from it name the id that was read
        outputs = {
            k: v.replace(generated, resource_id) if isinstance(v, str) else v
            for k, v in outputs.items()
        }
    outputs.update({k: v for k, v in state.items() if v is not None})
    outputs["id"] = resource_id
    return outputs


def _physical(kind: Any, name: str, urn: str, checked: dict[str, Any]) -> str:
    """The physical name: the (auto-)name input when known, else a deterministic one."""
    property_ = kind.name_property if kind is not None else "name"
    value = checked.get(property_) if property_ else None
    if isinstance(value, str) and value:
        return value
    if kind is not None and kind.name_property is None:
        # generated ids: a KMS key's UUID, an origin access identity's E... id
        return kind.physical_id(urn) if kind.physical_id is not None else stable_uuid(urn)
    return autoname(name, urn)


def merge_tags(default_tags: Mapping[str, Any], tags: Any) -> Any:
    """``tagsAll``: the provider's default tags overridden by the resource's, as the provider
    merges them; a secret tag map (or a secret tag) keeps its secrecy in the merged map."""
    if rpc.is_rpc_secret(tags):
        merged = merge_tags(default_tags, rpc.unwrap_rpc_secret(tags))
        return rpc.wrap_rpc_secret(merged)
    if isinstance(tags, Unknown) or tags == rpc.UNKNOWN:
        return Unknown()
    return {**default_tags, **(tags if isinstance(tags, dict) else {})}


def _placeholder(typ: Any) -> Any:
    """A value of a declared non-string type for an output the gate does not model: numbers
    0, booleans false, lists and maps empty, nested objects null, as a provider reports an empty
    attribute. (Strings: ``_string_placeholder``.)"""
    if typ is bool:
        return False
    if typ in (int, float):
        return 0
    origin = getattr(typ, "__origin__", None)
    if origin in (list, tuple) or str(origin).endswith("Sequence'>"):
        return []
    if origin is dict or str(origin).endswith("Mapping'>"):
        return {}
    return None  # a nested object, or a type the gate does not shape


def _string_placeholder(type_: str, property_: str, physical: str, urn: str, place: Place) -> str:
    lower = property_.lower()
    hashed = digest(f"{urn}#{property_}")
    module, _, resource = type_.split(":")[1].partition("/") if ":" in type_ else ("", "", "")
    service = module.split("/")[0] or type_.split(":", maxsplit=1)[0]
    address = ip_placeholder(property_, hashed)
    if address is not None:
        return address
    if lower.endswith("arn"):
        if lower != "arn" and lower.startswith("iam"):
            return f"arn:{place.partition}:iam::{place.account}:role/{physical}"
        kind = resource.lower() or "resource"
        return f"arn:{place.partition}:{service}:{place.region}:{place.account}:{kind}/{physical}"
    if lower.endswith("name"):
        return physical
    if lower.endswith("url"):
        return f"https://{physical}.{service}.{place.region}.{place.dns_suffix}/"
    if any(part in lower for part in ("endpoint", "domain", "dns", "hostname", "address")):
        return f"{physical}.{service}.{place.region}.{place.dns_suffix}"
    if lower.endswith("id"):
        return hashed[:20]
    return f"{property_}-{hashed[:12]}"
