"""Outputs a resource declares secret are returned as secrets, as the engine returns them.

After each step the engine wraps every output named in the resource's
``additionalSecretOutputs`` (the option a program sets, and the one an SDK class sets for its
sensitive outputs: a random password's ``result``, a key's ``privateKeyPem``) in a secret, except
``id`` (``pkg/resource/deploy/step_executor.go``: "Ensure that any secrets properties in the
output are marked as such"). The program then receives them as secrets, so what it builds from
them (a database's ``password``) reaches the pack as a secret, and ``AnalyzeStack`` sees the
outputs themselves as secrets. The SDK's mock monitor does not do this; ``mark_secret_outputs``
does it on the response.
"""

from __future__ import annotations

from collections.abc import Iterable

from google.protobuf import struct_pb2
from pulumi.runtime import rpc

_SIGNATURE = rpc._special_sig_key  # the engine's secret signature key ("4dabf181...")
_SECRET = rpc._special_secret_sig


def mark_secret_outputs(outputs: struct_pb2.Struct, names: Iterable[str]) -> None:
    """Wrap each of ``names`` present in ``outputs`` in the engine's secret envelope, in place."""
    for name in names:
        if name == "id" or name not in outputs.fields:
            continue
        value = outputs.fields[name]
        if (
            value.HasField("struct_value")
            and value.struct_value.fields.get(_SIGNATURE, struct_pb2.Value()).string_value
            == _SECRET
        ):
            continue  # already a secret
        envelope = struct_pb2.Struct()
        envelope.fields[_SIGNATURE].string_value = _SECRET
        envelope.fields["value"].CopyFrom(value)
        outputs.fields[name].struct_value.CopyFrom(envelope)
