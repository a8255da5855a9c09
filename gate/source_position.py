"""The SDK's source-position capture, without its cost.

For every resource the SDK calls ``pulumi.runtime.resource._get_stack_trace``, which runs
``traceback.extract_stack()`` (reading each frame's source line) and turns every frame's file
into a URI, to send the whole stack with the registration; only its first frame, the caller of
the concrete resource's ``__init__``, becomes the ``sourcePosition`` the gate reports. This
equivalent walks the frames directly and returns that one frame: the same ``sourcePosition``,
at a fraction of the cost (it was the largest per-resource cost of the child).
"""

from __future__ import annotations

import functools
import pathlib
import sys

from pulumi.runtime import resource as runtime_resource
from pulumi.runtime.proto import source_pb2


@functools.lru_cache(maxsize=4096)
def _uri(filename: str) -> str | None:
    try:
        return pathlib.Path(filename).as_uri()
    except BaseException:
        return None


def stack_trace() -> source_pb2.StackTrace:
    """The SDK's stack trace, reduced to the frame its ``_get_source_position`` reads.

    As ``_get_stack_trace``: look up the stack for the third ``__init__`` frame (Resource,
    Custom/ComponentResource, the concrete class); the frame that called it is user code.
    """
    frame = sys._getframe(1)
    seen = 0
    while frame is not None:
        if frame.f_code.co_name == "__init__":
            seen += 1
            if seen == 3:
                break
        frame = frame.f_back
    caller = frame.f_back if frame is not None else None
    if caller is None or not caller.f_code.co_filename:
        return source_pb2.StackTrace()
    uri = _uri(caller.f_code.co_filename)
    if uri is None:
        return source_pb2.StackTrace(frames=[source_pb2.StackFrame()])
    position = source_pb2.SourcePosition(uri=uri, line=caller.f_lineno)
    return source_pb2.StackTrace(frames=[source_pb2.StackFrame(pc=position)])


def install() -> None:
    """Use ``stack_trace`` for every registration of this process (a program's child)."""
    runtime_resource._get_stack_trace = stack_trace
