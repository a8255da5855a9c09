"""Each report format, parsed and checked, from one CLI run per format over a violating program."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from .conftest import BASIC_PACK, FIXTURES, gate_cli, write_program

SOURCE = """
import pulumi
import pulumi_aws as aws

bucket = aws.s3.Bucket("logs")
aws.s3.Bucket("tagged", tags={"owner": "data"})
aws.lambda_.Function(
    "fn",
    role="arn:aws:iam::123456789012:role/fn",
    runtime="python3.9",
    handler="index.handler",
    code=pulumi.AssetArchive({}),
)
"""
LOGS_URN = "urn:pulumi:dev::testprog::aws:s3/bucket:Bucket::logs"


@pytest.fixture(scope="module")
def violating(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_program(tmp_path_factory.mktemp("violating") / "prog", SOURCE)


def test_json_report(violating: Path) -> None:
    result = gate_cli("--program", violating, "--policy-pack", BASIC_PACK, "--format", "json")
    assert result.code == 1
    report = result.json()
    assert report["project"] == "testprog"
    assert report["stack"] == "dev"
    assert report["policyPacks"] == [{"name": "gate-test-basic", "version": "0.3.0"}]
    assert {"urn": LOGS_URN, "type": "aws:s3/bucket:Bucket", "name": "logs"} in report["resources"]
    assert report["summary"] == {
        "resources": 5,
        "mandatory": 3,
        "advisory": 1,
        "disabled": 0,
        "exempted": 0,
    }
    by_key = {(v["policy"], v["urn"].rsplit("::", 1)[-1]): v for v in report["violations"]}
    assert set(by_key) == {
        ("required-tags", "logs"),
        ("bucket-versioning", "logs"),
        ("bucket-versioning", "tagged"),
        ("lambda-runtime", "fn"),
    }
    tags = by_key[("required-tags", "logs")]
    assert tags == {
        "policyPack": "gate-test-basic",
        "policy": "required-tags",
        "enforcementLevel": "mandatory",
        "severity": "",
        "urn": LOGS_URN,
        "file": "__main__.py",
        "line": 5,
        "message": "Bucket 'logs' lacks the tags ['owner']; add them to `tags`.",
        "related": [],
    }
    (tags_policy,) = [p for p in report["policies"] if p["name"] == "required-tags"]
    assert tags_policy["description"] == "Buckets carry the required tags."
    assert by_key[("lambda-runtime", "fn")]["enforcementLevel"] == "advisory"
    not_applicable = {(n["policy"], n["urn"].rsplit("::", 1)[-1]) for n in report["notApplicable"]}
    assert ("lambda-runtime", "logs") in not_applicable
    assert "gate-test-basic: info: checked runtime of fn" in report["notes"]


def test_sarif_report_matches_the_schema_and_points_at_lines(violating: Path) -> None:
    result = gate_cli(
        "--program", violating, "--policy-pack", BASIC_PACK, "--format", "sarif", cwd=violating
    )
    assert result.code == 1
    sarif = json.loads(result.stdout)
    schema = json.loads((FIXTURES / "sarif-2.1.0-subset.schema.json").read_text())
    jsonschema.validate(sarif, schema)
    run = sarif["runs"][0]
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert set(rules) == {
        "gate-test-basic/required-tags",
        "gate-test-basic/bucket-versioning",
        "gate-test-basic/lambda-runtime",
    }
    assert rules["gate-test-basic/required-tags"]["defaultConfiguration"]["level"] == "error"
    assert rules["gate-test-basic/lambda-runtime"]["defaultConfiguration"]["level"] == "warning"
    assert rules["gate-test-basic/required-tags"]["fullDescription"]["text"] == (
        "Buckets carry the required tags."
    )
    located = {}
    for item in run["results"]:
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == item["ruleId"]
        location = item["locations"][0]
        logical = location["logicalLocations"][0]["fullyQualifiedName"]
        physical = location["physicalLocation"]
        located[(item["ruleId"], logical)] = (
            item["level"],
            physical["artifactLocation"]["uri"],
            physical["artifactLocation"].get("uriBaseId"),
            physical["region"]["startLine"],
        )
    assert located[("gate-test-basic/required-tags", LOGS_URN)] == (
        "error",
        "__main__.py",
        "%SRCROOT%",
        5,
    )
    fn_urn = "urn:pulumi:dev::testprog::aws:lambda/function:Function::fn"
    assert located[("gate-test-basic/lambda-runtime", fn_urn)][0] == "warning"
    assert located[("gate-test-basic/lambda-runtime", fn_urn)][3] == 7
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == violating.resolve().as_uri() + "/"


def test_junit_report(violating: Path) -> None:
    result = gate_cli("--program", violating, "--policy-pack", BASIC_PACK, "--format", "junit")
    assert result.code == 1
    root = ET.fromstring(result.stdout)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "gate-test-basic@v0.3.0"
    assert (suite.get("tests"), suite.get("failures")) == ("3", "2")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {"required-tags", "bucket-versioning", "lambda-runtime"}
    versioning = cases["bucket-versioning"].find("failure")
    assert versioning is not None
    assert versioning.get("type") == "mandatory"
    assert "::logs" in versioning.text and "::tagged" in versioning.text
    assert cases["lambda-runtime"].find("failure") is None
    assert "python3.9 is deprecated" in cases["lambda-runtime"].find("system-out").text


def test_junit_marks_a_disabled_policy_skipped_and_passes(tmp_path: Path, violating: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"all": "disabled"}))
    result = gate_cli(
        "--program", violating, "--policy-pack", BASIC_PACK, "--policy-config", config,
        "--format", "junit",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    suite = ET.fromstring(result.stdout).find("testsuite")
    assert (suite.get("skipped"), suite.get("failures")) == ("3", "0")


def test_text_report_and_output_file(tmp_path: Path, violating: Path) -> None:
    output = tmp_path / "report.txt"
    result = gate_cli("--program", violating, "--policy-pack", BASIC_PACK, "--output", output)
    assert result.code == 1
    assert result.stdout == ""
    warning, summary = result.stderr.splitlines()
    assert warning.startswith("warning: No stack file Pulumi.dev.yaml for stack 'dev' in ")
    assert summary.startswith("FAILED: 5 resources checked by gate-test-basic@v0.3.0")
    text = output.read_text()
    first, blank, policies = text.split("\n", 3)[:3]
    assert first.startswith("⚠️  No stack file Pulumi.dev.yaml for stack 'dev'")
    assert (blank, policies) == ("", "Policies:")
    mandatory = text.index("[mandatory]  bucket-versioning")
    assert mandatory < text.index("[mandatory]  required-tags") < text.index("[advisory]  lambda")
    assert f"            {LOGS_URN}  (__main__.py:5)\n" in text
    assert "              Bucket 'logs' lacks the tags ['owner']; add them to `tags`.\n" in text
    assert "\nNot applicable: 4 (policy, resource) pairs (lambda-runtime 4);" in text
    assert text.rstrip().endswith("3 mandatory and 1 advisory violation.")
