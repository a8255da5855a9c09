"""The offline policy gate: a Pulumi program on the mock engine, a CrossGuard pack over gRPC."""

import os

# gRPC core logs connection teardown at INFO on stderr; the gate's stderr is for its own errors.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

from .api import run
from .errors import GateError
from .report import NotApplicable, Report, Resource, SourcePosition, Violation

__all__ = [
    "GateError",
    "NotApplicable",
    "Report",
    "Resource",
    "SourcePosition",
    "Violation",
    "run",
]
