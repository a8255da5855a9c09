"""The program against the team's CrossGuard pack, through the offline gate: the example
stack must pass with no violation at all, mandatory or advisory."""

from __future__ import annotations

import gate
from tests.unit.harness import ROOT


def describe(violations: list[gate.Violation]) -> list[str]:
    return [f"{v.enforcement_level} {v.policy} {v.urn}: {v.message}" for v in violations]


def test_dev_stack_has_no_violations() -> None:
    report = gate.run(ROOT, "dev", ROOT / "policypack")
    assert len(report.resources) > 20
    assert report.policies, "the pack reported no policies"
    assert report.violations == [], describe(report.violations)


def test_first_preview_leaves_only_the_kms_key_arn_unverified() -> None:
    """With every computed output unknown, all IAM documents but the one naming the new
    key's ARN are still complete, so every other policy still gets checked."""
    report = gate.run(ROOT, "dev", ROOT / "policypack", fresh=True)
    assert report.mandatory == [], describe(report.mandatory)
    for violation in report.advisory:
        assert violation.urn.endswith("-processor-decrypt"), describe([violation])
        assert "cannot verify during preview" in violation.message
