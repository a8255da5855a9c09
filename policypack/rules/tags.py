"""Required tags on every taggable AWS resource, counting the provider's default tags."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from typing import Any, Final

import pulumi
from pulumi_policy import Severity

from .framework import Finding, Meta, NotApplicable, Option, Resource
from .taggable import taggable_types
from .values import UNKNOWN, contains_unknown, is_unknown, plain

DEFAULT_REQUIRED_KEYS = ["Project", "Environment", "Owner", "ManagedBy"]


def _keys(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(k, str) and k.strip() for k in value):
        raise ValueError(f"must be a list of non-empty strings, got {value!r}")
    if not value:
        raise ValueError("must name at least one key (an empty list would switch the policy off)")
    return list(value)


# General categories that never render a glyph: controls, format characters (which include most
# default-ignorable code points), surrogates, unassigned code points, and separators.
_INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp"})
# Marks attach to a base character; with no base they render as nothing (or a placeholder).
_MARK_CATEGORIES: Final = frozenset({"Mn", "Mc", "Me"})


def _invisible(char: str) -> bool:
    """True for a character that renders as nothing on its own.

    Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt) is Cf, the variation
    selectors and Other_Default_Ignorable_Code_Point (PropList.txt). The standard library's
    `unicodedata` has the categories and names but not those properties, so they are derived:
    Cf by category; variation selectors by name; of Other_Default_Ignorable_Code_Point, the
    unassigned ones are Cn, U+034F and U+17B4/5 are marks, and the rest are the Hangul fillers
    (U+115F, U+1160, U+3164, U+FFA0: letters by category, blank by design), found by name, like
    the one symbol drawn as blank, U+2800 BRAILLE PATTERN BLANK.
    """
    if char.isspace() or unicodedata.category(char) in _INVISIBLE_CATEGORIES:
        return True
    name = unicodedata.name(char, "")
    return (
        name.startswith("VARIATION SELECTOR")
        or (name.startswith(("HANGUL", "HALFWIDTH HANGUL")) and name.endswith(" FILLER"))
        or name == "BRAILLE PATTERN BLANK"
    )


def blank(value: str) -> bool:
    """True for a value with nothing visible: only invisible characters and base-less marks."""
    return all(_invisible(c) or unicodedata.category(c) in _MARK_CATEGORIES for c in value)


REQUIRED_TAGS = Meta(
    name="required-tags",
    description="Every taggable AWS resource carries each required tag key with a non-empty "
    "value, counting its provider's default tags.",
    severity=Severity.MEDIUM,
    remediation="Set the missing keys in the provider's default_tags (aws:defaultTags in stack "
    "config, or aws.Provider(default_tags={'tags': {...}})) or in the resource's tags.",
    url="https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html",
    options=(
        Option(
            name="requiredKeys",
            schema={"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
            default=DEFAULT_REQUIRED_KEYS,
            parse=_keys,
        ),
    ),
)


def _provider_object(value: Any) -> dict[str, Any] | Any:
    """An object-valued provider setting, given as an object or as its JSON text (the engine
    sends the default provider's config as strings): `UNKNOWN`, or a dict ({} when absent or
    unreadable)."""
    if is_unknown(value):
        return UNKNOWN
    if isinstance(value, str):
        try:
            value = plain(json.loads(value)) if value.strip() else {}
        except json.JSONDecodeError:
            return {}
    return value if isinstance(value, dict) else {}


def _load_default_tags(value: Any) -> dict[str, Any] | Any:
    """The `tags` map inside a provider's defaultTags."""
    value = _provider_object(value)
    if is_unknown(value):
        return UNKNOWN
    tags = value.get("tags")
    if is_unknown(tags):
        return UNKNOWN
    return tags if isinstance(tags, dict) else {}


def _provider_setting(resource: Resource, key: str) -> Any:
    """A setting of the resource's provider (`defaultTags`, `ignoreTags`).

    The engine hands the pack its provider's inputs, and gives the default provider the stack's
    `aws:*` config as inputs; only when it hands over no provider or no inputs at all (an explicit
    provider always has some: the SDK fills in defaults such as skipRegionValidation) do we read
    the stack config (`aws:<key>`) ourselves. A provider's name proves nothing: a program may call
    an explicit, untagged provider `default`.
    """
    if resource.provider is None or not resource.provider.props:
        return pulumi.runtime.get_config(f"aws:{key}")
    return resource.provider.props.get(key)


def default_tags(resource: Resource) -> dict[str, Any] | Any:
    """Tags the resource inherits from its provider (`UNKNOWN` if they depend on an output)."""
    return _load_default_tags(_provider_setting(resource, "defaultTags"))


def ignored_tag_rules(resource: Resource) -> tuple[list[str], list[str]] | Any:
    """The provider's `ignoreTags` (keys, key prefixes): tags it never applies nor reads back."""
    value = _provider_object(_provider_setting(resource, "ignoreTags"))
    if is_unknown(value):
        return UNKNOWN
    # The SDK JSON-encodes a provider's object inputs as given: a plain dict keeps `key_prefixes`.
    keys = value.get("keys") or []
    prefixes = value.get("keyPrefixes") or value.get("key_prefixes") or []
    if contains_unknown(keys) or contains_unknown(prefixes):
        return UNKNOWN
    return (
        [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else [],
        [p for p in prefixes if isinstance(p, str)] if isinstance(prefixes, list) else [],
    )


def _resource_tags(resource: Resource, shape: str) -> dict[str, Any] | Any:
    tags = resource.props.get("tags")
    if tags is None:
        return {}
    if is_unknown(tags):
        return UNKNOWN
    if shape == "map":
        return tags if isinstance(tags, dict) else {}
    merged: dict[str, Any] = {}
    for block in tags if isinstance(tags, list) else []:
        if is_unknown(block):
            return UNKNOWN
        if isinstance(block, dict) and isinstance(block.get("key"), str):
            merged[block["key"]] = block.get("value")
    return merged


def check_required_tags(resource: Resource, config: dict[str, Any]) -> Iterator[Finding]:
    shape = taggable_types().get(resource.type)
    if shape is None:
        raise NotApplicable(f"{resource.type} has no tags input in the AWS provider schema")
    if shape == "not-tagging":
        raise NotApplicable(
            f"{resource.type}'s `tags` input is not resource tagging: the AWS provider gives the "
            "type no tagsAll, so neither it nor the provider's default tags tag the resource"
        )
    own = _resource_tags(resource, shape)
    inherited = default_tags(resource) if shape == "map" else {}
    if is_unknown(own):
        yield Finding(f"{resource.label()} has tags unknown until apply.", resource, unknown=True)
        return
    ignore = ignored_tag_rules(resource)
    missing, empty, unknown, ignored = [], [], [], []
    for key in config["requiredKeys"]:
        if is_unknown(ignore):
            unknown.append(key)
            continue
        if key in ignore[0] or any(key.startswith(p) for p in ignore[1] if p):
            ignored.append(key)
            continue
        if key in own:
            value = own[key]
        elif is_unknown(inherited):
            unknown.append(key)
            continue
        else:
            value = inherited.get(key)
        if is_unknown(value):
            unknown.append(key)
        elif key not in own and key not in inherited:
            missing.append(key)
        elif not isinstance(value, str) or blank(value):
            empty.append(key)
    problems = []
    if missing:
        problems.append(f"is missing tag(s) {', '.join(missing)}")
    if empty:
        problems.append(f"has empty value(s) for {', '.join(empty)}")
    if ignored:
        problems.append(
            f"uses a provider whose ignore_tags drops {', '.join(ignored)} (never applied)"
        )
    if problems:
        yield Finding(
            f"{resource.label()} {' and '.join(problems)}. {REQUIRED_TAGS.remediation}", resource
        )
    elif unknown:
        yield Finding(
            f"{resource.label()} has tag(s) {', '.join(unknown)} unknown until apply.",
            resource,
            unknown=True,
        )
