"""Runs the policy pack over the test programs through the offline gate."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from gate import Report, run

REPO = Path(__file__).resolve().parents[2]
PACK = REPO / "policypack"
PROGRAMS = Path(__file__).resolve().parent / "programs"


def preview(program: str, *, config: dict[str, Any] | None = None, fresh: bool = False) -> Report:
    """One gate run of tests/policy/programs/<program> (stack `test`) with the pack."""
    return run(
        program=PROGRAMS / program,
        stack="test",
        policy_pack=PACK,
        policy_config=config,
        fresh=fresh,
    )


def resource_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1] if urn else ""


def flagged(report: Report, policy: str, level: str | None = None) -> dict[str, list[str]]:
    """Resource name -> messages of `policy`'s violations (optionally only at `level`)."""
    found: dict[str, list[str]] = defaultdict(list)
    for violation in report.violations:
        if violation.policy == policy and level in (None, violation.enforcement_level):
            found[resource_name(violation.urn)].append(violation.message)
    return dict(found)


def levels(report: Report, policy: str) -> set[str]:
    return {v.enforcement_level for v in report.violations if v.policy == policy}


def urn_of(report: Report, name: str) -> str:
    matches = [r.urn for r in report.resources if r.name == name]
    assert len(matches) == 1, f"expected one resource named {name!r}, found {matches}"
    return matches[0]
