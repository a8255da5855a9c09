"""Renderer details that need no program run: locations of stack-level findings, odd paths."""

from __future__ import annotations

import json
from pathlib import Path

from google.protobuf.struct_pb2 import Struct

from gate.locations import locate
from gate.render import render_junit, render_sarif, render_text
from gate.report import PolicyInfo, Report, Resource, SourcePosition, Violation


def report_in(program_dir: Path) -> Report:
    bucket = Resource(
        urn="urn:pulumi:dev::p::aws:s3/bucket:Bucket::b",
        type="aws:s3/bucket:Bucket",
        name="b",
        custom=True,
        inputs_struct=Struct(),
        outputs_struct=Struct(),
        parent="",
        dependencies=[],
        property_dependencies={},
        provider="",
        source_position=SourcePosition(uri=(program_dir / "infra" / "s3.py").as_uri(), line=12),
    )
    report = Report(
        project="p",
        stack="dev",
        resources=[bucket],
        policy_packs=[("pack", "1.0.0")],
        violations=[
            Violation("pack", "tls", "mandatory", "high", bucket.urn, "TLS only.\nAdd a policy."),
            Violation("pack", "inventory", "advisory", "", "", "Inventory.\nNo inventory."),
        ],
        policies=[
            PolicyInfo("pack", "tls", "TLS only.", "mandatory", "high", "https://x.test/tls"),
            PolicyInfo("pack", "inventory", "Inventory.", "advisory"),
            PolicyInfo("pack", "off", "Off.", "disabled"),
        ],
        program_dir=str(program_dir),
    )
    locate(report)
    return report


def test_sarif_locations_relative_stack_level_and_outside_the_base(tmp_path: Path) -> None:
    report = report_in(tmp_path / "repo" / "app")
    run = json.loads(render_sarif(report, base=tmp_path / "repo"))["runs"][0]
    tls, inventory = run["results"]
    physical = tls["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "app/infra/s3.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {"startLine": 12}
    assert inventory["level"] == "warning"
    stack_location = inventory["locations"][0]
    assert stack_location["physicalLocation"]["artifactLocation"]["uri"] == "app/Pulumi.yaml"
    assert "logicalLocations" not in stack_location
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["pack/tls"]["helpUri"] == "https://x.test/tls"
    assert rules["pack/tls"]["properties"]["security-severity"] == "8.0"
    assert rules["pack/off"]["defaultConfiguration"]["level"] == "none"
    elsewhere = json.loads(render_sarif(report, base=tmp_path / "other"))["runs"][0]
    uri = elsewhere["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri == {"uri": (tmp_path / "repo" / "app" / "infra" / "s3.py").as_uri()}


def test_text_names_stack_level_findings_and_strips_the_description(tmp_path: Path) -> None:
    text = render_text(report_in(tmp_path))
    assert "            (stack)  (Pulumi.yaml)\n              No inventory.\n" in text
    assert "  (infra/s3.py:12)\n              Add a policy.\n" in text
    assert "TLS only.\n              TLS only." not in text


def test_junit_skips_disabled_policies(tmp_path: Path) -> None:
    xml = render_junit(report_in(tmp_path))
    assert "(stack) (Pulumi.yaml)\nNo inventory." in xml  # a stack-level finding names its file
    assert '<testsuite name="pack@v1.0.0" tests="3" failures="1" errors="0" skipped="1">' in xml


def test_exempted_answers_are_told_apart_from_not_applicable(tmp_path: Path) -> None:
    from gate import Exempted, NotApplicable  # noqa: PLC0415

    report = report_in(tmp_path)
    urn = "urn:pulumi:dev::p::aws:lambda/function:Function::no-dlq"
    report.not_applicable = [
        NotApplicable("pack", "tls", "urn:pulumi:dev::p::x:y:Z::a", "exempted by #1: legacy"),
        NotApplicable("pack", "dlq", "", f"{urn}: exempted by pack-settings exemption #2: sync"),
        NotApplicable("pack", "tls", "urn:pulumi:dev::p::x:y:Z::b", "not a bucket"),
        NotApplicable("pack", "tls", "urn:pulumi:dev::p::x:y:Z::c", "not exempted: a queue"),
    ]
    assert report.exempted == [
        Exempted("pack", "tls", "urn:pulumi:dev::p::x:y:Z::a", "exempted by #1: legacy"),
        Exempted("pack", "dlq", urn, "exempted by pack-settings exemption #2: sync"),
    ]
    assert [n.reason for n in report.inapplicable] == ["not a bucket", "not exempted: a queue"]
    assert "; 2 findings exempted." in render_text(report)
