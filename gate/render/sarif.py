"""SARIF 2.1.0: one rule per policy, one result per violation, located on the declaring line.

Code-scanning services resolve ``artifactLocation.uri`` against the checkout root, so paths are
made relative to the directory the gate runs from (``%SRCROOT%``) whenever the program lies under
it. A violation without a resource position (the stack, a default provider) is located on the
project's ``Pulumi.yaml``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..report import PolicyInfo, Report, Violation

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


def _location(report: Report, violation: Violation, base: Path) -> dict[str, Any]:
    resource = report.resource(violation.urn) if violation.urn else None
    position = resource.source_position if resource is not None else None
    if position is not None:
        path, line = Path(position.path), max(position.line, 1)
    else:
        path, line = Path(report.program_dir or ".") / "Pulumi.yaml", 1
    uri, relative = _artifact_uri(path, base)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": artifact, "region": {"startLine": line}},
    }
    if violation.urn:
        location["logicalLocations"] = [
            {
                "name": resource.name if resource is not None else violation.urn,
                "fullyQualifiedName": violation.urn,
                "kind": "resource",
            }
        ]
    return location


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
    results = []
    for violation in report.violations:
        rule_id = _rule_id(violation.policy_pack, violation.policy)
        fingerprint = hashlib.sha256(f"{rule_id}|{violation.urn}".encode()).hexdigest()
        results.append(
            {
                "ruleId": rule_id,
                "ruleIndex": index[rule_id],
                "level": "error" if violation.enforcement_level == "mandatory" else "warning",
                "message": {"text": violation.message or violation.policy},
                "locations": [_location(report, violation, base)],
                "partialFingerprints": {"pulumiPolicyViolation/v1": fingerprint},
                "properties": {
                    "enforcementLevel": violation.enforcement_level,
                    "severity": violation.severity,
                    "urn": violation.urn,
                },
            }
        )
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
                },
            }
        ],
    }
    return json.dumps(document, indent=2) + "\n"
