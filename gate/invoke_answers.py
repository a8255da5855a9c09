"""``--invoke-answers``: recorded real results of provider functions, which win over offline ones.

The file maps a function token to its result object (for any arguments), or to a list of
``{"args": {...}, "result": {...}}`` entries: the first entry whose ``args`` all equal the call's
answers it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def recorded_answer(recorded: dict[str, Any], token: str, args: dict[str, Any]) -> Any:
    """The recorded result for a call: the first entry whose ``args`` all equal the call's.

    An entry is ``{"args": {...}, "result": {...}}``; a token mapped to an object is its one
    result for any arguments.
    """
    entries = recorded.get(token)
    if entries is None:
        return None
    if isinstance(entries, dict):
        return entries
    for entry in entries:
        wanted = entry.get("args") or {}
        if all(args.get(key) == value for key, value in wanted.items()):
            return entry["result"]
    return None


def load_invoke_answers(path: str | Path | None) -> dict[str, Any]:
    """Read and check an ``--invoke-answers`` file; ValueError naming what is wrong."""
    if path is None:
        return {}
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise ValueError(f"Cannot read the invoke answers file {path}: {err.strerror}.") from err
    except ValueError as err:
        raise ValueError(f"The invoke answers file {path} is not valid JSON: {err}.") from err
    shape = (
        'a JSON object mapping a function token ("aws:ec2/getAmi:getAmi") to its result object, '
        'or to a list of {"args": {...}, "result": {...}} entries'
    )
    if not isinstance(document, dict):
        raise ValueError(f"The invoke answers file {path} must be {shape}.")
    for token, entries in document.items():
        if token.count(":") != 2:
            raise ValueError(
                f"The invoke answers file {path} has the key {token!r}, which is not a function "
                'token (package:module/function:function, e.g. "aws:ec2/getAmi:getAmi").'
            )
        good = isinstance(entries, dict) or (
            isinstance(entries, list)
            and all(
                isinstance(e, dict)
                and isinstance(e.get("result"), dict)
                and isinstance(e.get("args", {}), dict)
                for e in entries
            )
        )
        if not good:
            raise ValueError(
                f"The invoke answers file {path}: the entry for {token} must be {shape}."
            )
    return document
