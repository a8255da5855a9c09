"""Reads IAM policy documents given as JSON strings or objects (as `get_policy_document` renders,
as `json.dumps` produces, or as a dict/`PolicyDocumentArgs` passed straight to the provider)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .values import UNKNOWN, contains_unknown, is_unknown

# The elements AWS's policy grammar allows in a statement; anything else is rejected by AWS, and a
# near-miss such as "effect" or "resource" must not be read as if it were absent.
STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Principal",
        "NotPrincipal",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Condition",
    }
)


class InvalidDocumentError(ValueError):
    """The document is not valid IAM policy JSON; AWS would reject it."""


@dataclass(frozen=True)
class Statement:
    index: int
    sid: str
    raw: dict[str, Any]

    @property
    def is_allow(self) -> bool:
        # Anything but an explicit "Deny" is treated as granting: fail closed.
        return self.raw.get("Effect") != "Deny"

    def values(self, key: str) -> list[Any] | Any:
        """A string-or-list field as a list; `UNKNOWN` when the field itself is unknown."""
        value = self.raw.get(key)
        if value is None:
            return []
        if is_unknown(value):
            return UNKNOWN
        return value if isinstance(value, list) else [value]

    def label(self) -> str:
        return f"statement {self.sid!r}" if self.sid else f"statement #{self.index}"


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON object hook: a repeated key is ambiguous (Python keeps the last value, another parser
    may keep the first), so a document could read as scoped here and as `*` in AWS."""
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise InvalidDocumentError(
                f"repeats the key {key!r} in one object, so which value AWS applies is "
                "ambiguous; give each key once"
            )
        seen[key] = value
    return seen


def load(document: Any) -> dict[str, Any] | Any:
    """The document as a dict, or `UNKNOWN`; raises InvalidDocumentError for malformed input."""
    if is_unknown(document):
        return UNKNOWN
    if isinstance(document, str):
        try:
            document = json.loads(document, object_pairs_hook=_refuse_duplicate_keys)
        except json.JSONDecodeError as error:
            where = f"{error.msg} at char {error.pos}"
            raise InvalidDocumentError(f"is not valid JSON ({where})") from None
    if not isinstance(document, Mapping):
        raise InvalidDocumentError(f"must be a JSON object, got {type(document).__name__}")
    return dict(document)


def statements(document: dict[str, Any]) -> list[Statement] | Any:
    """Statements of a loaded document, or `UNKNOWN` when the list itself is unknown."""
    raw = document.get("Statement")
    if raw is None:
        raise InvalidDocumentError("has no Statement")
    if is_unknown(raw):
        return UNKNOWN
    items = raw if isinstance(raw, list) else [raw]
    result = []
    for index, item in enumerate(items, start=1):
        if is_unknown(item):
            return UNKNOWN
        if not isinstance(item, Mapping):
            raise InvalidDocumentError(f"statement #{index} must be an object, got {item!r}")
        unexpected = sorted(set(item) - STATEMENT_KEYS)
        if unexpected:
            raise InvalidDocumentError(
                f"statement #{index} has unknown element(s) {', '.join(map(repr, unexpected))} "
                f"(element names are case-sensitive); allowed: {', '.join(sorted(STATEMENT_KEYS))}"
            )
        effect = item.get("Effect")
        if not is_unknown(effect) and effect not in ("Allow", "Deny"):
            raise InvalidDocumentError(
                f"statement #{index} Effect must be Allow or Deny, got {effect!r}"
            )
        sid = item.get("Sid")
        result.append(Statement(index, sid if isinstance(sid, str) else "", dict(item)))
    return result


def load_statements(document: Any) -> list[Statement] | Any:
    """The statements of a policy document (JSON text or object), or `UNKNOWN` when the document
    or its statement list is unknown; raises InvalidDocumentError for malformed input."""
    loaded = load(document)
    return loaded if is_unknown(loaded) else statements(loaded)


def effect_unknown(statement: Statement) -> bool:
    return contains_unknown(statement.raw.get("Effect"))
