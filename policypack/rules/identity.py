"""Reads the identity policies a resource carries: documents and attached policy ARNs, located by
the table generated from pulumi-aws (`iam_inputs`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from . import documents
from .framework import Finding, Resource
from .iam_inputs import granting_policy_arn_inputs, identity_document_inputs
from .values import is_unknown

IAM_POLICY_ARN = re.compile(r"^arn:aws[\w-]*:iam::(aws|\d{12}):policy/")


def documents_of(resource: Resource) -> Iterator[tuple[str, Any]]:
    """(where, document) for every identity-policy document in the resource's inputs."""
    for prop in identity_document_inputs().get(resource.type, ()):
        if not prop.endswith("[].policy"):
            if resource.props.get(prop) is not None:
                yield prop, resource.props.get(prop)
            continue
        list_prop = prop.removesuffix("[].policy")
        items = resource.props.get(list_prop) or []
        if is_unknown(items):
            yield list_prop, items
            continue
        for index, item in enumerate(items):
            if is_unknown(item):
                yield f"{list_prop}[{index}]", item
                continue
            name = item.get("name")
            where = f"inline policy {name!r}" if isinstance(name, str) else f"{list_prop}[{index}]"
            if item.get("policy") is not None:
                yield where, item.get("policy")


def statements(
    resource: Resource, policy_name: str
) -> Iterator[tuple[str, documents.Statement] | Finding]:
    """Each statement with its location; findings for unreadable or unknown documents."""
    for where, document in documents_of(resource):
        try:
            items = documents.load_statements(document)
        except documents.InvalidDocumentError as error:
            yield Finding(
                f"{resource.label()} {where} {error}; AWS rejects or misreads it. Provide a "
                "valid policy document (json.dumps of a dict, or "
                "aws.iam.get_policy_document(...).json).",
                resource,
            )
            continue
        if is_unknown(items):
            yield Finding(
                f"{resource.label()} {where} is not known until apply, so {policy_name} cannot "
                "check it; build it from known values or re-run after the first update.",
                resource,
                unknown=True,
            )
            continue
        for statement in items:
            yield where, statement


def allow_statements(
    resource: Resource, policy_name: str
) -> Iterator[tuple[str, documents.Statement] | Finding]:
    """The statements that may grant (not Deny), each with its label for messages."""
    for item in statements(resource, policy_name):
        if isinstance(item, Finding):
            yield item
        elif item[1].is_allow:
            where, statement = item
            yield f"{resource.label()} {where} {statement.label()}", statement


def attached_policy_arns(resource: Resource) -> Iterator[tuple[str, Any]]:
    """(input, value) for every policy ARN the resource attaches as a grant; values may be
    `UNKNOWN`. Inputs of other services' modules yield only known IAM policy ARNs."""
    for prop, kind in granting_policy_arn_inputs().get(resource.type, {}).items():
        value = resource.props.get(prop)
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        if is_unknown(value):
            values = [value]
        for arn in values:
            if kind == "service" and not (isinstance(arn, str) and IAM_POLICY_ARN.match(arn)):
                continue
            yield prop, arn
