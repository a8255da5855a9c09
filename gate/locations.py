"""Where each violation points: the line at fault, and the other places involved.

A violation is located on the declaration of the resource it was reported on (the registration's
``sourcePosition``, as the SDK records it). A pack that reports a finding caused by a setting on
the setting itself (``BucketVersioning``, ``BucketPublicAccessBlock``, ``RolePolicy``, ...) thus
points at the setting's line, the one a fix changes. The resources whose outputs that resource's
inputs use (its ``propertyDependencies``: the bucket of a bucket setting, the role of a role
policy) are its related locations (SARIF ``relatedLocations``). A stack-level violation (reported on
the root stack, as the engine shows one without a URN), or one on a resource the program did not
declare (a default provider), is located on ``Pulumi.yaml``.

A document built elsewhere (``aws.iam.get_policy_document(...).json`` passed as a role policy's
``policy``) is recognised by its text: an input string equal to a JSON document a provider
function returned (``gate.invoke_trace`` records where each was called). When it is the
resource's only policy document and the violation's message is about it (names a statement, or
the input holding it: ``policy``, ``assumeRolePolicy``), the violation is located on the call
that built the document, with the resource as a related location; otherwise (another finding,
or several documents the message cannot be tied to) the document is one more related location.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from .report import BuiltDocument, Location, Report, Resource, Violation, message_body

PROJECT_FILE = "Pulumi.yaml"


def locate(report: Report) -> None:
    """Fill ``file``, ``line`` and ``related`` of every violation in ``report``."""
    report.violations[:] = [_located(report, v) for v in report.violations]


def resource_location(report: Report, resource: Resource) -> Location | None:
    """The declaration of ``resource``, or None when the program did not declare it."""
    position = resource.source_position
    # The root stack is the engine's, not a declaration (its position is inside the SDK).
    if position is None or resource.default_provider or resource.type == "pulumi:pulumi:Stack":
        return None
    return Location(
        _relative(position.path, report.program_dir),
        max(position.line, 1),
        f"{resource.type.rsplit(':', 1)[-1]} '{resource.name}'",
        resource.urn,
    )


def _located(report: Report, violation: Violation) -> Violation:
    resource = report.resource(violation.urn) if violation.urn else None
    at = resource_location(report, resource) if resource is not None else None
    if resource is None or at is None:
        return replace(violation, file=PROJECT_FILE, line=None, related=())
    related = _related(report, resource)
    documents = list(_documents_in(report, resource))
    descriptions = {(p.policy_pack, p.name): p.description for p in report.policies}
    body = message_body(
        violation.message, descriptions.get((violation.policy_pack, violation.policy), "")
    )
    if len(documents) == 1 and _policy_documents(resource) == 1 and _about(body, documents[0][0]):
        path, document = documents[0]
        built = _document_location(report, document, path)
        user = replace(at, label=f"{at.label} (uses it as `{path}`)")
        return replace(violation, file=built.file, line=built.line, related=(user, *related))
    extra = tuple(_document_location(report, d, path) for path, d in documents)
    return replace(violation, file=at.file, line=at.line, related=(*related, *extra))


def _documents_in(report: Report, resource: Resource) -> Iterator[tuple[str, BuiltDocument]]:
    """(input path, document) for each input string that is a document a provider function built.

    Identical documents built at several places are each yielded: the text cannot tell which
    call the input came from, so none of them becomes the primary location.
    """
    if not report.built_documents:
        return
    by_text: dict[str, dict[tuple[str, int], BuiltDocument]] = {}
    for document in report.built_documents:
        position = document.source_position
        by_text.setdefault(document.text, {})[(position.path, position.line)] = document
    for path, value in _strings(resource.inputs, ""):
        for document in by_text.get(value, {}).values():
            yield path, document


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}[{index}]")


def _policy_documents(resource: Resource) -> int:
    """How many of the resource's input strings are policy documents (JSON with a Statement)."""
    count = 0
    for _, value in _strings(resource.inputs, ""):
        if value.lstrip().startswith("{"):
            try:
                document = json.loads(value)
            except ValueError:
                continue
            count += isinstance(document, dict) and "Statement" in document
    return count


def _about(message: str, path: str) -> bool:
    """Whether the message is about the document: it names a statement, or the input holding it
    (its last key, as a whole word: ``policy``, ``assumeRolePolicy``)."""
    key = path.rsplit(".", 1)[-1].split("[", 1)[0]
    named = re.search(rf"(?<![A-Za-z]){re.escape(key)}(?![A-Za-z])", message) is not None
    return named or re.search(r"\bstatements?\b", message, re.IGNORECASE) is not None


def _document_location(report: Report, document: BuiltDocument, path: str) -> Location:
    position = document.source_position
    function = document.token.rsplit(":", 1)[-1]
    return Location(
        _relative(position.path, report.program_dir),
        max(position.line, 1),
        f"the `{path}` document, built by {function}",
    )


def _related(report: Report, resource: Resource) -> tuple[Location, ...]:
    """The declared resources this one's inputs refer to, once each, by the input naming them."""
    found: dict[str, Location] = {}
    for key, urns in sorted(resource.property_dependencies.items()):
        for urn in urns:
            other = report.resource(urn)
            if other is None or urn == resource.urn or urn in found:
                continue
            at = resource_location(report, other)
            if at is not None:
                found[urn] = replace(at, label=f"{at.label} (referenced by `{key}`)")
    return tuple(found.values())


def _relative(path: str, base: str) -> str:
    """``path`` relative to ``base`` when inside it, else unchanged."""
    if base:
        try:
            return Path(path).relative_to(base).as_posix()
        except ValueError:
            pass
    return path
