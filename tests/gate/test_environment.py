"""The environment the program and the pack run in, as the engine gives it (through the CLI).

The language host runs the program with the CLI's environment, PYTHONPATH included (only
PYTHONHOME is dropped when it activates a virtualenv: ``ActivateVirtualEnv`` in
sdk/python/toolchain/toolchain.go), and the engine starts a policy pack with its whole
environment plus the ``PULUMI_*`` variables (``constructEnv`` in
sdk/go/common/resource/plugin/analyzer_plugin.go).
"""

from __future__ import annotations

from pathlib import Path

from .conftest import REPO, gate_cli, write_program

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
