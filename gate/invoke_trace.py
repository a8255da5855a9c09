"""Where the program called a provider function that returned a JSON document (program side).

The Python SDK sends no source position with an invoke (``ResourceInvokeRequest.sourcePosition``
stays empty: only ``pulumi/runtime/resource.py`` fills it, for registrations), and ``Mocks.call``
runs on an executor thread, where the program's frames are gone. So the program's calls of
``pulumi.runtime.invoke`` and ``pulumi.runtime.invoke_output`` (what every generated provider
function, e.g. ``aws.iam.get_policy_document(_output)``, calls) are wrapped: the wrapper takes the
caller's position as the SDK does for resources (the innermost frame outside installed packages
and the gate), and sends one ``invoke`` record per JSON-document string in the result. The gate
then knows which resource input holds a document built elsewhere, and where it was built.
"""

from __future__ import annotations

import functools
import sys
import sysconfig
from pathlib import Path
from typing import Any, Protocol

import pulumi.runtime

_LIBRARY_DIRS = tuple(
    str(Path(p).resolve()) + "/"
    for p in {sysconfig.get_paths()[k] for k in ("stdlib", "platstdlib", "purelib", "platlib")}
)
_SKIPPED = (*_LIBRARY_DIRS, str(Path(__file__).resolve().parent) + "/")  # and the gate itself
# Installed packages outside this interpreter's own purelib: a venv made with
# --system-site-packages imports pulumi_aws from the base Python's site-packages, a .pth file can
# add another environment's; neither is the program's code.
_PACKAGE_DIRS = ("/site-packages/", "/dist-packages/")


class Sender(Protocol):
    def send(self, record: dict[str, Any]) -> None: ...


def install(channel: Sender) -> None:
    """Wrap the SDK's invoke entry points for the rest of this (program) process."""
    pulumi.runtime.invoke = _traced(pulumi.runtime.invoke, channel, output=False)
    if hasattr(pulumi.runtime, "invoke_output"):  # older SDKs have only the plain form
        pulumi.runtime.invoke_output = _traced(pulumi.runtime.invoke_output, channel, output=True)


def _traced(original: Any, channel: Sender, *, output: bool) -> Any:
    @functools.wraps(original)
    def call(token: str, *args: Any, **kwargs: Any) -> Any:
        position = _caller(sys._getframe(1))
        result = original(token, *args, **kwargs)
        if position is None:
            return result
        if output:
            return result.apply(lambda value: _send(channel, token, position, value))
        _send(channel, token, position, getattr(result, "value", None))
        return result

    return call


def _send(channel: Sender, token: str, position: dict[str, Any], value: Any) -> Any:
    for text in _documents(value):
        channel.send({"kind": "invoke", "token": token, "sourcePosition": position, "text": text})
    return value


def _documents(value: Any) -> list[str]:
    """The result's top-level strings that hold a JSON object (a policy document, ...)."""
    fields = value if isinstance(value, dict) else getattr(value, "__dict__", {})
    return [v for v in fields.values() if isinstance(v, str) and v.lstrip().startswith("{")]


def _caller(frame: Any) -> dict[str, Any] | None:
    """The innermost frame in the program's own code, as a source position."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.startswith("<"):
            resolved = str(Path(filename).resolve())
            if not resolved.startswith(_SKIPPED) and not any(
                part in resolved for part in _PACKAGE_DIRS
            ):
                return {"uri": Path(resolved).as_uri(), "line": frame.f_lineno, "column": 0}
        frame = frame.f_back
    return None
