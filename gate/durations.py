"""Go's ``time.ParseDuration``, for the custom timeouts the engine parses (``"5m"``, ``"1h30m"``).

The engine converts a resource's ``customTimeouts`` strings with Go's ``time.ParseDuration``
(pulumi/pulumi ``pkg/resource/deploy/source_eval.go``, ``generateTimeoutInSeconds``) and fails the
registration with "unable to parse customTimeout Value <text>" when one does not parse. This
mirrors the grammar of Go's ``time/format.go``: an optional sign, then one or more decimal numbers
(with an optional fraction) each followed by a unit; ``"0"`` alone needs no unit.
"""

from __future__ import annotations

import re

_UNIT_SECONDS = {
    "ns": 1e-9,
    "us": 1e-6,
    "\u00b5s": 1e-6,  # U+00B5 micro sign
    "\u03bcs": 1e-6,  # U+03BC Greek mu
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_PART_RE = re.compile(r"(\d*)(?:\.(\d*))?([^\d.]*)")


def parse_go_duration(text: str) -> float:
    """Seconds in ``text``; ValueError with Go's message (``time: invalid duration "x"``)."""
    quoted = '"' + text + '"'
    rest = text
    sign = 1.0
    if rest[:1] in "+-" and rest:
        sign = -1.0 if rest[0] == "-" else 1.0
        rest = rest[1:]
    if rest == "0":
        return 0.0
    if not rest:
        raise ValueError(f"time: invalid duration {quoted}")
    total = 0.0
    while rest:
        match = _PART_RE.match(rest)
        whole, fraction, unit = match.group(1), match.group(2), match.group(3)
        if not whole and not fraction:
            raise ValueError(f"time: invalid duration {quoted}")
        if not unit:
            raise ValueError(f"time: missing unit in duration {quoted}")
        if unit not in _UNIT_SECONDS:
            # Go reads the unit up to the next digit or '.', as this pattern does.
            raise ValueError(f'time: unknown unit "{unit}" in duration {quoted}')
        total += float(f"{whole or 0}.{fraction or 0}") * _UNIT_SECONDS[unit]
        rest = rest[match.end() :]
    return sign * total
