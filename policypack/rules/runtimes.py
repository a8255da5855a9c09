"""Lambda runtime deprecation dates (phase 1: no more security patches, no new functions).

Source: AWS Lambda Developer Guide, "Lambda runtimes" (supported and deprecated runtime tables),
https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html. The rows were taken from two
copies that cite that page (tflint-ruleset-aws's deprecated-runtime rule and endoflife.date's
aws-lambda data, late 2025 / early 2026) and agree with it where it was readable (python3.9:
2025-12-15; python3.13: 2029-06-30). Where the copies differ, AWS's date wins (dotnet6:
2024-12-20, not Microsoft's 2024-11-12). A test checks that every runtime in pulumi-aws's
`lambda_.Runtime` enum and every value of botocore's Lambda `Runtime` shape (AWS's own API model:
the identifiers `CreateFunction` accepts) is listed here; review the table when AWS announces a
deprecation or when either source gains a runtime.

`None` marks an identifier AWS accepts but for which AWS has published no deprecation date (a
runtime in preview, or one announced without a schedule): it is supported until a date is set
here or through the policy's `deprecatedRuntimes` option.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final

_D = dt.date

DEPRECATION_DATES: Final[dict[str, dt.date | None]] = {
    # Node.js
    "nodejs26.x": None,
    "nodejs24.x": _D(2028, 4, 30),
    "nodejs22.x": _D(2027, 4, 30),
    "nodejs20.x": _D(2026, 4, 30),
    "nodejs18.x": _D(2025, 9, 1),
    "nodejs16.x": _D(2024, 6, 12),
    "nodejs14.x": _D(2023, 12, 4),
    "nodejs12.x": _D(2023, 3, 31),
    "nodejs10.x": _D(2021, 7, 30),
    "nodejs8.10": _D(2020, 3, 6),
    "nodejs6.10": _D(2019, 8, 12),
    "nodejs4.3": _D(2020, 3, 5),
    "nodejs4.3-edge": _D(2019, 4, 30),
    "nodejs": _D(2016, 10, 31),
    # Python
    "python3.15": None,
    "python3.14": _D(2029, 6, 30),
    "python3.13": _D(2029, 6, 30),
    "python3.12": _D(2028, 10, 31),
    "python3.11": _D(2026, 6, 30),
    "python3.10": _D(2026, 6, 30),
    "python3.9": _D(2025, 12, 15),
    "python3.8": _D(2024, 10, 14),
    "python3.7": _D(2023, 12, 4),
    "python3.6": _D(2022, 7, 18),
    "python2.7": _D(2021, 7, 15),
    # Java
    "java25": _D(2029, 6, 30),
    "java21": _D(2029, 6, 30),
    "java17.al2023": None,
    "java11.al2023": None,
    "java8.al2023": None,
    "java17": _D(2026, 6, 30),
    "java11": _D(2026, 6, 30),
    "java8.al2": _D(2026, 6, 30),
    "java8": _D(2024, 1, 8),
    # .NET
    "dotnet10": _D(2028, 11, 14),
    "dotnet8": _D(2026, 11, 10),
    "dotnet7": _D(2024, 5, 14),
    "dotnet6": _D(2024, 12, 20),
    "dotnet5.0": _D(2022, 5, 10),
    "dotnetcore3.1": _D(2023, 4, 3),
    "dotnetcore2.1": _D(2022, 1, 5),
    "dotnetcore2.0": _D(2019, 5, 30),
    "dotnetcore1.0": _D(2019, 7, 30),
    # Ruby
    "ruby4.0": None,
    "ruby3.4": _D(2028, 3, 31),
    "ruby3.3": _D(2027, 3, 31),
    "ruby3.2": _D(2026, 3, 31),
    "ruby2.7": _D(2023, 12, 7),
    "ruby2.5": _D(2021, 7, 30),
    # OS-only runtimes
    # botocore lists `custom` among the identifiers CreateFunction accepts.
    "custom": None,
    "provided.al2023": _D(2029, 6, 30),
    "provided.al2": _D(2026, 6, 30),
    "provided": _D(2024, 1, 8),
    "go1.x": _D(2024, 1, 8),
}


def supported_successors(runtime: str, today: dt.date) -> list[str]:
    """Runtimes of the same language still supported a year from now (any language if none)."""
    horizon = today + dt.timedelta(days=365)
    lasting = sorted(r for r, d in DEPRECATION_DATES.items() if d is not None and d > horizon)
    family = re.match(r"[a-z]+", runtime)
    same = [r for r in lasting if family and r.startswith(family.group(0))]
    return same or lasting
