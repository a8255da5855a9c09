"""SARIF 2.1.0: one rule per policy, one result per violation, located on the line at fault.

Code-scanning services resolve ``artifactLocation.uri`` against the checkout root, so paths are
made relative to the directory the gate runs from (``%SRCROOT%``) whenever the program lies under
it. Locations come from ``gate.locations``: the violating resource's declaration (or the
project's ``Pulumi.yaml``, without a line, for the stack or a default provider), and the
resources it refers to as ``relatedLocations``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..locations import PROJECT_FILE
from ..report import PolicyInfo, Report, Violation, message_body

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
TOOL_NAME = "pulumi-offline-policy-gate"
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "2.0"}


def _rule_id(pack: str, policy: str) -> str:
    return f"{pack}/{policy}"


def _rule(policy: PolicyInfo) -> dict[str, Any]:
    level = {"mandatory": "error", "advisory": "warning", "remediate": "error"}.get(
        policy.enforcement_level, "none"
    )
    help_text = policy.remediation_steps or policy.description
    rule: dict[str, Any] = {
        "id": _rule_id(policy.policy_pack, policy.name),
        "name": policy.name,
        "shortDescription": {"text": policy.description or policy.name},
        "fullDescription": {"text": policy.description or policy.name},
        "help": {"text": help_text or policy.name},
        "defaultConfiguration": {"level": level},
        "properties": {
            "enforcementLevel": policy.enforcement_level,
            "tags": ["security", "pulumi-policy", policy.policy_pack],
        },
    }
    if policy.display_name:
        rule["shortDescription"] = {"text": policy.display_name}
    if policy.url:
        rule["helpUri"] = policy.url
    if policy.severity in _SECURITY_SEVERITY:
        rule["properties"]["security-severity"] = _SECURITY_SEVERITY[policy.severity]
    return rule


def _artifact_uri(path: Path, base: Path) -> tuple[str, bool]:
    """A URI relative to ``base`` when possible (uriBaseId %SRCROOT%), else an absolute file URI."""
    try:
        return path.resolve().relative_to(base).as_posix(), True
    except ValueError:
        return path.resolve().as_uri(), False


def _physical(report: Report, file: str, line: int | None, base: Path) -> dict[str, Any]:
    uri, relative = _artifact_uri(Path(report.program_dir or ".") / file, base)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line:
        physical["region"] = {"startLine": line}
    return physical


def _location(report: Report, violation: Violation, base: Path) -> dict[str, Any]:
    file = violation.file or PROJECT_FILE
    location: dict[str, Any] = {"physicalLocation": _physical(report, file, violation.line, base)}
    if violation.urn:
        resource = report.resource(violation.urn)
        location["logicalLocations"] = [
            {
                "name": resource.name if resource is not None else violation.urn,
                "fullyQualifiedName": violation.urn,
                "kind": "resource",
            }
        ]
    return location


def _related(report: Report, violation: Violation, base: Path) -> list[dict[str, Any]]:
    return [
        {
            "id": index,
            "physicalLocation": _physical(report, related.file, related.line, base),
            "message": {"text": related.label or related.urn},
            **(
                {"logicalLocations": [{"fullyQualifiedName": related.urn, "kind": "resource"}]}
                if related.urn
                else {}
            ),
        }
        for index, related in enumerate(violation.related, start=1)
    ]


def render_sarif(report: Report, base: Path | None = None) -> str:
    base = (base or Path(os.getcwd())).resolve()
    policies = list(report.policies)
    known = {(p.policy_pack, p.name) for p in policies}
    for violation in report.violations:  # a diagnostic from a policy GetAnalyzerInfo did not list
        if (violation.policy_pack, violation.policy) not in known:
            known.add((violation.policy_pack, violation.policy))
            policies.append(
                PolicyInfo(violation.policy_pack, violation.policy, "", violation.enforcement_level)
            )
    rules = [_rule(p) for p in policies]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    descriptions = {(p.policy_pack, p.name): p.description for p in policies}
    results = []
    for violation in report.violations:
        rule_id = _rule_id(violation.policy_pack, violation.policy)
        fingerprint = hashlib.sha256(f"{rule_id}|{violation.urn}".encode()).hexdigest()
        result: dict[str, Any] = {
            "ruleId": rule_id,
            "ruleIndex": index[rule_id],
            "level": "error" if violation.enforcement_level == "mandatory" else "warning",
            # the rule carries the description the SDK prefixes to every message
            "message": {
                "text": message_body(
                    violation.message,
                    descriptions.get((violation.policy_pack, violation.policy), ""),
                )
                or violation.policy
            },
            "locations": [_location(report, violation, base)],
            "partialFingerprints": {"pulumiPolicyViolation/v1": fingerprint},
            "properties": {
                "enforcementLevel": violation.enforcement_level,
                "severity": violation.severity,
                "urn": violation.urn,
            },
        }
        related = _related(report, violation, base)
        if related:
            result["relatedLocations"] = related
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "informationUri": "https://www.pulumi.com/docs/iac/using-pulumi/crossguard/",
                        "version": "1.0.0",
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": base.as_uri() + "/"}},
                "automationDetails": {"id": f"pulumi-policy/{report.project}/{report.stack}/"},
                "results": results,
                "properties": {
                    "project": report.project,
                    "stack": report.stack,
                    "policyPacks": [{"name": n, "version": v} for n, v in report.policy_packs],
                    "resources": len(report.resources),
                    "warnings": list(report.warnings),
                    "disabledPolicies": [_rule_id(p.policy_pack, p.name) for p in report.disabled],
                    "exemptedFindings": len(report.exempted),
                },
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"
