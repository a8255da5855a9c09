"""Property maps as protobuf ``Struct`` values: built from JSON values, encoded for the parent."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from google.protobuf import json_format, struct_pb2


def to_struct(value: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    json_format.ParseDict(value, struct)
    return struct


def encode_struct(struct: struct_pb2.Struct) -> str:
    """A property map for the parent: the protobuf bytes, exactly as the engine would pass them."""
    return base64.b64encode(struct.SerializeToString(deterministic=True)).decode("ascii")
