"""The engine's side of the contract with the program and the pack, through the CLI: their
environment, and what the engine makes of the pack's answers.

The language host runs the program with the CLI's environment, PYTHONPATH included (only
PYTHONHOME is dropped when it activates a virtualenv: ``ActivateVirtualEnv`` in
sdk/python/toolchain/toolchain.go), and the engine starts a policy pack with its whole
environment plus the ``PULUMI_*`` variables (``constructEnv`` in
sdk/go/common/resource/plugin/analyzer_plugin.go).
"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import FIXTURES, REPO, gate_cli, write_program

RECORDER = FIXTURES / "packs" / "recorder"

PROGRAM = """
import pulumi_aws as aws
import shared_naming  # only on PYTHONPATH

aws.s3.Bucket("logs", tags={"team": shared_naming.TEAM})
"""

PACK = """
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy
import shared_naming  # only on PYTHONPATH


def team_tag(args, report):
    bucket = args.resource_type == "aws:s3/bucket:Bucket"
    if bucket and args.props["tags"]["team"] == shared_naming.TEAM:
        report("tagged by the shared module")


PolicyPack(
    name="pythonpath-pack",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[ResourceValidationPolicy(name="team-tag", description="Team.", validate=team_tag)],
)
"""


def test_pythonpath_reaches_the_program_and_the_pack(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "shared_naming.py").write_text('TEAM = "platform"\n', encoding="utf-8")
    program = write_program(tmp_path / "program", PROGRAM)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n", encoding="utf-8")
    (pack / "__main__.py").write_text(PACK, encoding="utf-8")
    result = gate_cli(
        "--program",
        program,
        "--policy-pack",
        pack,
        "--format",
        "json",
        env={"PYTHONPATH": f"{REPO}:{shared}"},
    )
    assert result.code == 1, result.stderr
    (violation,) = result.json()["violations"]
    assert violation["message"].endswith("tagged by the shared module")


SEVERE_PACK = """
from pulumi_policy import (
    EnforcementLevel, PolicyPack, ResourceValidationPolicy, Severity
)


def reads_policy(args, report):
    if args.resource_type == "aws:iam/rolePolicy:RolePolicy" and "Deny" in args.props["policy"]:
        report("denies")


def validate_only(args, report):
    pass


PolicyPack(
    name="severe-pack",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[
        ResourceValidationPolicy(
            name="reads-policy", description="Reads.", validate=reads_policy, severity=Severity.HIGH
        ),
        ResourceValidationPolicy(
            name="validate-only",
            description="No remediation.",
            validate=validate_only,
            enforcement_level=EnforcementLevel.REMEDIATE,
        ),
    ],
)
"""

ROLE_POLICY = """
import pulumi_aws as aws

role = aws.iam.Role("worker", assume_role_policy="{}")
aws.iam.RolePolicy("inline", role=role.id, policy=role.arn.apply(lambda a: f'{{"r":"{a}"}}'))
"""


def test_preview_advisories_get_their_policys_severity_and_remediate_answers_are_kept(
    tmp_path: Path,
) -> None:
    """The engine fills a diagnostic's missing severity from its policy (``convertDiagnostics``)
    and keeps the not-applicable answers of ``Remediate`` (``RemediateResponse.NotApplicable``),
    both in sdk/go/common/resource/plugin/analyzer_plugin.go."""
    program = write_program(tmp_path / "program", ROLE_POLICY)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n", encoding="utf-8")
    (pack / "__main__.py").write_text(SEVERE_PACK, encoding="utf-8")
    result = gate_cli("--program", program, "--policy-pack", pack, "--format", "json", "--fresh")
    assert result.code == 0, result.stderr
    report = result.json()
    (advisory,) = [v for v in report["violations"] if v["policy"] == "reads-policy"]
    assert "during preview" in advisory["message"]
    assert advisory["severity"] == "high"
    remediate_answers = {
        (n["policy"], n["urn"].rsplit("::", 1)[-1], n["reason"]) for n in report["notApplicable"]
    }
    assert ("validate-only", "inline", "Policy does not implement remediate") in remediate_answers


ORGANIZATION_PROGRAM = """
import pulumi
import pulumi_aws as aws

aws.s3.Bucket("logs", tags={"org": pulumi.get_organization()})
"""


def test_a_qualified_stack_names_the_organization_everywhere_the_engine_sends_it(
    tmp_path: Path,
) -> None:
    """`--stack acme/dev` (or `acme/project/dev`): the organization reaches the program, the
    pack's environment (``constructEnv``) and ``ConfigureStack`` (``NewPolicyAnalyzer``), both in
    sdk/go/common/resource/plugin/analyzer_plugin.go; an unqualified stack is `organization`."""
    program = write_program(tmp_path / "program", ORGANIZATION_PROGRAM)
    for stack, organization in (
        ("acme/dev", "acme"),
        ("acme/testprog/dev", "acme"),
        ("dev", "organization"),
    ):
        record = tmp_path / f"{organization}-{stack.count('/')}.jsonl"
        result = gate_cli(
            "--program",
            program,
            "--stack",
            stack,
            "--policy-pack",
            RECORDER,
            "--format",
            "json",
            env={"GATE_RECORD": str(record)},
        )
        assert result.code == 0, result.stderr
        calls = [json.loads(line) for line in record.read_text().splitlines()]
        (configure,) = [c for c in calls if c["call"] == "ConfigureStack"]
        assert configure["request"]["organization"] == organization
        assert configure["request"]["stack"] == "dev"
        assert configure["env"]["PULUMI_ORGANIZATION"] == organization
        assert configure["env"]["PULUMI_STACK"] == "dev"
        assert configure["env"]["PULUMI_DRY_RUN"] == "true"
        (bucket,) = [c for c in calls if c["call"] == "Analyze" and c["urn"].endswith("::logs")]
        assert bucket["props"]["tags"]["org"] == organization


def test_a_stack_name_with_an_empty_organization_is_refused(tmp_path: Path) -> None:
    program = write_program(tmp_path / "program", ORGANIZATION_PROGRAM)
    result = gate_cli("--program", program, "--stack", "/dev")
    assert result.code == 2
    assert "Invalid stack name '/dev'" in result.stderr
    assert "organization ''" in result.stderr
