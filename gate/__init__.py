"""The offline policy gate: a Pulumi program on the mock engine, a CrossGuard pack over gRPC.

``from gate import run, Report, Violation, NotApplicable, GateError``. The names are loaded on
first use, so that the program's child interpreter, which imports ``gate.program_child``, does
not pay for the gRPC client, YAML and JSON-schema modules it never uses.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

# gRPC core logs connection teardown at INFO on stderr; the gate's stderr is for its own errors.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

if TYPE_CHECKING:
    from .api import run
    from .errors import GateError, PolicyConfigError
    from .report import (
        Exempted,
        Location,
        NotApplicable,
        Report,
        Resource,
        SourcePosition,
        Violation,
    )

_EXPORTS = {
    "run": "api",
    "GateError": "errors",
    "PolicyConfigError": "errors",
    "Exempted": "report",
    "Location": "report",
    "NotApplicable": "report",
    "Report": "report",
    "Resource": "report",
    "SourcePosition": "report",
    "Violation": "report",
}
__all__ = [
    "Exempted",
    "GateError",
    "Location",
    "NotApplicable",
    "PolicyConfigError",
    "Report",
    "Resource",
    "SourcePosition",
    "Violation",
    "run",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'gate' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value
