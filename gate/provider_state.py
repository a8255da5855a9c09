"""The state as a provider returns it: documents given as objects come back as JSON text."""

from __future__ import annotations

import typing
from collections import abc
from collections.abc import Callable
from typing import Any

from pulumi import _types
from pulumi.output import Unknown
from pulumi.runtime import rpc

from .mock_world import go_json_text


def provider_state(state: dict[str, Any], types: dict[str, Any] | None) -> dict[str, Any]:
    """The state as the provider returns it: documents given as objects become JSON text.

    pulumi-aws accepts an object for a string property typed ``str | PolicyDocument`` (IAM, bucket,
    queue, repository and log policies, trust policies, lifecycle policies) and its bridge
    marshals it to compact JSON (``TransformJSONDocument``); the output is that string, or unknown
    while the object holds an unknown. The declared output types say which properties are strings.
    """
    return _walk_dict(state, (types or {}).get)


def _as_declared(value: Any, typ: Any) -> Any:
    if rpc.is_rpc_secret(value):
        return rpc.wrap_rpc_secret(_as_declared(rpc.unwrap_rpc_secret(value), typ))
    typ = _types.unwrap_optional_type(typ) if typ is not None else None
    if typ is None or typ is Any:
        return value
    if typ is str and isinstance(value, (dict, list)):
        if holds_unknown(value):
            return Unknown()
        plain, secret = _plain(value)
        text = go_json_text(plain)
        return rpc.wrap_rpc_secret(text) if secret else text
    origin = typing.get_origin(typ)
    if isinstance(value, dict):
        if _types.is_output_type(typ):
            return _walk_dict(value, _types.output_type_types(typ).get)
        args = typing.get_args(typ)
        if origin in (dict, abc.Mapping) and len(args) == 2:
            return _walk_dict(value, lambda _: args[1])
        return value
    if isinstance(value, list) and origin in (list, abc.Sequence):
        (element,) = typing.get_args(typ) or (None,)
        return [_as_declared(item, element) for item in value]
    return value


def _walk_dict(value: dict[str, Any], type_of: Callable[[str], Any]) -> dict[str, Any]:
    return {key: _as_declared(item, type_of(key)) for key, item in value.items()}


def holds_unknown(value: Any) -> bool:
    if isinstance(value, Unknown) or value == rpc.UNKNOWN:
        return True
    if isinstance(value, dict):
        return any(holds_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(holds_unknown(v) for v in value)
    return False


def _plain(value: Any) -> tuple[Any, bool]:
    """``value`` without secret wrappers, and whether it held a secret."""
    if rpc.is_rpc_secret(value):
        return _plain(rpc.unwrap_rpc_secret(value))[0], True
    if isinstance(value, dict):
        pairs = {k: _plain(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [_plain(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False
