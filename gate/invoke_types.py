"""The SDK result class of each provider function a program calls (child interpreter only).

Provider SDKs call ``pulumi.runtime.invoke*(token, args, opts, typ)``; the mock monitor sees only
the token, and the result class (``typ``) says which properties an offline answer must have.
"""

from __future__ import annotations

import functools

from pulumi.output import Unknown

RESULT_TYPES: dict[str, type] = {}
"""Function token -> the SDK's result class, recorded as the program calls the function."""


def record_result_types() -> None:
    """Wrap the SDK's invoke entry points so each function's declared result class is known.

    Provider SDKs call ``pulumi.runtime.invoke*(token, args, opts, typ)``; the monitor only sees
    the token, and the result class says which properties the answer must have.
    """
    from pulumi import runtime  # noqa: PLC0415 (the module object, to rebind its functions)

    # An unknown in an invoke result must pass the result class's own check
    # (``if policy and not isinstance(policy, str): raise TypeError``): the SDK itself tests
    # unknowns with isinstance only, so a falsy Unknown changes nothing else.
    Unknown.__bool__ = lambda _self: False  # type: ignore[method-assign]
    names = ("invoke", "invoke_single", "invoke_output", "invoke_output_single", "invoke_async")
    for name in names:
        original = getattr(runtime, name)

        def wrapper(tok, props, opts=None, typ=None, *rest, _original=original, **kwargs):
            if typ is not None:
                RESULT_TYPES.setdefault(tok, typ)
            return _original(tok, props, opts, typ, *rest, **kwargs)

        setattr(runtime, name, functools.wraps(original)(wrapper))
