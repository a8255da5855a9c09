"""JUnit XML: one test suite per policy pack, one test case per policy.

A case fails when its policy reported a mandatory violation; advisory violations are listed in the
case's ``system-out`` (they do not fail a preview either); a disabled policy is skipped. The
run's warnings (no stack file) and the pack's exempted findings are the suite's ``properties``
(``warning``, ``exempted``), so this format too tells what was not checked.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..report import PolicyInfo, Report, Violation, message_body


def _describe(violations: list[Violation], description: str) -> str:
    """Each violation under its URN and location; the description is the case's, not repeated."""
    return "\n\n".join(
        f"{v.urn or '(stack)'}"
        + (f" ({v.file}:{v.line})" if v.line else f" ({v.file})" if v.file else "")
        + f"\n{message_body(v.message, description)}"
        for v in violations
    )


def _properties(suite: ET.Element, report: Report, pack: str) -> None:
    """The run's warnings and the pack's exempted findings, first in the suite (JUnit's order)."""
    entries = [("warning", warning) for warning in report.warnings]
    for exempted in report.exempted:
        if exempted.policy_pack == pack:
            at = report.declaration(exempted.urn)
            where = f" ({at.file}:{at.line})" if at else ""
            entries.append(
                ("exempted", f"{exempted.policy} on {exempted.urn}{where}: {exempted.reason}")
            )
    if entries:
        properties = ET.SubElement(suite, "properties")
        for name, value in entries:
            ET.SubElement(properties, "property", name=name, value=value)


def render_junit(report: Report) -> str:
    root = ET.Element("testsuites", name=f"pulumi-policy {report.project}/{report.stack}")
    total = failures = skipped = 0
    for pack, version in report.policy_packs:
        policies = [p for p in report.policies if p.policy_pack == pack]
        names = {p.name for p in policies}
        for violation in report.violations:  # a policy GetAnalyzerInfo did not list
            if violation.policy_pack == pack and violation.policy not in names:
                names.add(violation.policy)
                policies.append(PolicyInfo(pack, violation.policy, "", violation.enforcement_level))
        suite = ET.SubElement(root, "testsuite", name=f"{pack}@v{version}")
        _properties(suite, report, pack)
        suite_failures = suite_skipped = 0
        for policy in policies:
            case = ET.SubElement(suite, "testcase", classname=pack, name=policy.name)
            found = [
                v for v in report.violations if v.policy_pack == pack and v.policy == policy.name
            ]
            mandatory = [v for v in found if v.enforcement_level == "mandatory"]
            advisory = [v for v in found if v.enforcement_level == "advisory"]
            if policy.enforcement_level == "disabled":
                ET.SubElement(case, "skipped", message="disabled by the policy config")
                suite_skipped += 1
            if mandatory:
                failure = ET.SubElement(
                    case,
                    "failure",
                    type="mandatory",
                    message=f"{len(mandatory)} mandatory violation(s) of {policy.name}",
                )
                failure.text = _describe(mandatory, policy.description)
                suite_failures += 1
            if advisory:
                out = ET.SubElement(case, "system-out")
                out.text = f"{len(advisory)} advisory violation(s):\n\n" + _describe(
                    advisory, policy.description
                )
        suite.set("tests", str(len(policies)))
        suite.set("failures", str(suite_failures))
        suite.set("errors", "0")
        suite.set("skipped", str(suite_skipped))
        total += len(policies)
        failures += suite_failures
        skipped += suite_skipped
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
