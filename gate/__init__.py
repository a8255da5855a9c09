"""The offline policy gate: a Pulumi program on the mock engine, a CrossGuard pack over gRPC."""

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
