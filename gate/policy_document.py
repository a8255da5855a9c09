"""Renders ``aws.iam.get_policy_document`` exactly as the AWS provider's data source does.

Mirrors terraform-provider-aws ``data_source_policy_document.go`` and ``policy_model.go``: effect
defaults to Allow, string sets are de-duplicated and sorted in reverse, one-element lists collapse
to a string, principals of one type merge, ``{"*": ["*"]}`` becomes ``"*"``, source documents are
merged before and override documents after the statements by Sid, and the JSON is Go's
``MarshalIndent(doc, "", "  ")`` (map keys sorted, ``<>&`` escaped).
"""

from __future__ import annotations

import json
import zlib
from typing import Any

_STATEMENT_KEYS = (
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
)


class PolicyDocumentError(ValueError):
    """The arguments would make the provider fail the invoke."""


def render_policy_document(args: dict[str, Any]) -> dict[str, str]:
    """The invoke's outputs ``json``, ``minifiedJson`` and ``id`` for the given camelCase args."""
    version = args.get("version") or "2012-10-17"
    if version not in ("2008-10-17", "2012-10-17"):
        raise PolicyDocumentError(f"version must be 2008-10-17 or 2012-10-17, got {version!r}")
    merged: dict[str, Any] = {"Version": "", "Id": "", "Statement": []}
    seen_sids: set[str] = set()
    for index, source in enumerate(args.get("sourcePolicyDocuments") or []):
        if source is None:
            continue
        document = _parse_document(source, f"source document {index}")
        for statement in document["Statement"]:
            sid = statement.get("Sid", "")
            if sid and sid in seen_sids:
                raise PolicyDocumentError(f"duplicate Sid ({sid}) in source_policy_documents")
            if sid:
                seen_sids.add(sid)
        _merge(merged, document)
    own: dict[str, Any] = {"Version": version, "Id": args.get("policyId") or "", "Statement": []}
    sids: set[str] = set()
    for raw in args.get("statements") or []:
        statement = _statement(raw or {}, version)
        sid = statement.get("Sid", "")
        if sid and sid in sids:
            raise PolicyDocumentError(f"duplicate Sid ({sid}). Remove the Sid or make it unique.")
        sids.add(sid)
        own["Statement"].append(statement)
    _merge(merged, own)
    for index, override in enumerate(args.get("overridePolicyDocuments") or []):
        if override is not None:
            _merge(merged, _parse_document(override, f"override document {index}"))
    document = {k: v for k, v in merged.items() if v}
    pretty = _go_json(document, indent=True)
    return {
        "json": pretty,
        "minifiedJson": _go_json(document, indent=False),
        "id": str(zlib.crc32(pretty.encode())),
    }


def _string_set(values: Any) -> Any:
    items = sorted({str(v) for v in values or []}, reverse=True)
    if not items:
        return None
    return items[0] if len(items) == 1 else items


def _replace_vars(value: Any, version: str) -> Any:
    def one(item: str) -> str:
        if version == "2008-10-17" and "&{" in item:
            raise PolicyDocumentError(f"found &{{ sequence in ({item}), unsupported in 2008-10-17")
        return item.replace("&{", "${")

    if value is None:
        return None
    return one(value) if isinstance(value, str) else [one(v) for v in value]


def _statement(raw: dict[str, Any], version: str) -> dict[str, Any]:
    effect = raw.get("effect") or "Allow"
    if effect not in ("Allow", "Deny"):
        raise PolicyDocumentError(f"effect must be Allow or Deny, got {effect!r}")
    statement: dict[str, Any] = {"Sid": raw.get("sid") or "", "Effect": effect}
    statement["Action"] = _string_set(raw.get("actions"))
    statement["NotAction"] = _string_set(raw.get("notActions"))
    statement["Resource"] = _replace_vars(_string_set(raw.get("resources")), version)
    statement["NotResource"] = _replace_vars(_string_set(raw.get("notResources")), version)
    statement["Principal"] = _principals(raw.get("principals"), version)
    statement["NotPrincipal"] = _principals(raw.get("notPrincipals"), version)
    statement["Condition"] = _conditions(raw.get("conditions"), version)
    return {k: v for k, v in statement.items() if v not in (None, "", [], {})}


def _principals(blocks: Any, version: str) -> Any:
    if not blocks:
        return None
    pairs = [
        (block.get("type", ""), _replace_vars(_string_set(block.get("identifiers")), version))
        for block in blocks
    ]
    if len(pairs) == 1 and pairs[0][0] == "*" and pairs[0][1] in ("*", ["*"]):
        return "*"
    merged: dict[str, Any] = {}
    for kind, identifiers in pairs:
        if identifiers is None:
            continue
        current = merged.get(kind)
        new = [identifiers] if isinstance(identifiers, str) else list(identifiers)
        if current is None:
            merged[kind] = identifiers if isinstance(identifiers, str) else new
        else:
            merged[kind] = ([current] if isinstance(current, str) else current) + new
    return merged


def _conditions(blocks: Any, version: str) -> Any:
    if not blocks:
        return None
    merged: dict[str, dict[str, list[str]]] = {}
    for block in blocks:
        values = _replace_vars([str(v) for v in block.get("values") or []], version)
        merged.setdefault(block["test"], {}).setdefault(block["variable"], []).extend(values)
    return {
        test: {var: vals[0] if len(vals) == 1 else vals for var, vals in variables.items()}
        for test, variables in merged.items()
    }


def _parse_document(text: Any, what: str) -> dict[str, Any]:
    try:
        document = json.loads(text) if isinstance(text, str) else None
    except ValueError as err:
        raise PolicyDocumentError(f"{what} is not valid JSON: {err}") from err
    if not isinstance(document, dict):
        raise PolicyDocumentError(f"{what} must be a JSON object")
    statements = document.get("Statement") or []
    if isinstance(statements, dict):
        statements = [statements]
    return {
        "Version": document.get("Version", ""),
        "Id": document.get("Id", ""),
        "Statement": [_normalise_parsed(s) for s in statements],
    }


def _normalise_parsed(statement: dict[str, Any]) -> dict[str, Any]:
    """Re-shape a statement read from JSON as the provider's Go model would marshal it again."""
    out = {k: statement[k] for k in _STATEMENT_KEYS if statement.get(k)}
    for key in ("Principal", "NotPrincipal"):
        if key in out:
            out[key] = _parsed_principals(out[key])
    if "Condition" in out:
        out["Condition"] = _parsed_conditions(out["Condition"])
        if not out["Condition"]:
            del out["Condition"]
    return out


def _parsed_principals(value: Any) -> Any:
    """A string principal reads as ``{"*": ["*"]}`` and writes as ``"*"``; lists sort reversed."""
    if isinstance(value, str):
        return "*"
    if not isinstance(value, dict):
        raise PolicyDocumentError(f'Principal must be an object or "*", got {value!r}')
    if len(value) == 1 and value.get("*") in ("*", ["*"]):
        return "*"
    return {k: sorted(v, reverse=True) if isinstance(v, list) else v for k, v in value.items()}


def _parsed_conditions(value: Any) -> dict[str, dict[str, Any]]:
    """Conditions as the provider's model reads them back: strings and lists of strings kept (a
    one-element list as its string), booleans as ``"true"``/``"false"``, and any other value,
    a number among them, silently dropped, so the rendered document loses that condition."""
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise PolicyDocumentError(f"Condition must map operators to objects, got {value!r}")
    out: dict[str, dict[str, Any]] = {}
    for test, variables in value.items():
        for variable, values in variables.items():
            if isinstance(values, bool):
                kept: Any = "true" if values else "false"
            elif isinstance(values, str):
                kept = values
            elif isinstance(values, list):
                if not all(isinstance(v, str) for v in values):
                    raise PolicyDocumentError(
                        f"Condition {test} {variable} values must be strings, got {values!r}"
                    )
                kept = values[0] if len(values) == 1 else values
            else:
                continue
            out.setdefault(test, {})[variable] = kept
    return out


def _merge(target: dict[str, Any], document: dict[str, Any]) -> None:
    if document.get("Id"):
        target["Id"] = document["Id"]
    if document.get("Version", "") > target["Version"]:
        target["Version"] = document["Version"]
    for statement in document["Statement"]:
        sid = statement.get("Sid", "")
        for index, existing in enumerate(target["Statement"]):
            if sid and existing.get("Sid", "") == sid:
                target["Statement"][index] = statement
                break
        else:
            target["Statement"].append(statement)


def _go_json(document: dict[str, Any], indent: bool) -> str:
    ordered = _order(document)
    text = (
        json.dumps(ordered, indent=2, ensure_ascii=False)
        if indent
        else json.dumps(ordered, separators=(",", ":"), ensure_ascii=False)
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _order(document: dict[str, Any]) -> dict[str, Any]:
    """Struct fields in declaration order; map keys (principals, conditions) sorted, as Go does."""
    out: dict[str, Any] = {}
    for key in ("Version", "Id"):
        if document.get(key):
            out[key] = document[key]
    if document.get("Statement"):
        out["Statement"] = [
            {key: _sorted_maps(s[key]) for key in _STATEMENT_KEYS if key in s}
            for s in document["Statement"]
        ]
    return out


def _sorted_maps(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted_maps(value[k]) for k in sorted(value)}
    return value
