"""What a newcomer hit adopting the gate: redirected reports, errors after a missing stack file,
all-disabled runs, and findings located in the program when the SDK lives in another
site-packages."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from xml.etree import ElementTree

import pytest

from .conftest import BASIC_PACK, REPO, clean_env, write_program

DOCUMENT_PROGRAM = """\
import pulumi_aws as aws

role = aws.iam.Role("worker", assume_role_policy="{}")
document = aws.iam.get_policy_document_output(
    statements=[{"actions": ["s3:Get*"], "resources": ["arn:aws:s3:::photos/*"]}]
)
aws.iam.RolePolicy("worker-read", role=role.id, policy=document.json)
"""


def gate(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gate", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def test_document_is_located_at_the_program_call_when_the_sdk_is_another_environments(
    installed_gate: Path, tmp_path: Path
) -> None:
    """The adopter's venv sees pulumi_aws through a .pth file (as --system-site-packages sees the
    base Python's): the SDK's frames are library code, not the line at fault."""
    program = write_program(tmp_path / "other", DOCUMENT_PROGRAM)
    result = subprocess.run(
        [str(installed_gate / "pulumi-policy-gate"), "--program", ".", "--format", "json"],
        cwd=program, env=clean_env(installed_gate), capture_output=True, text=True,
        timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    violations = json.loads(result.stdout)["violations"]
    (wildcard,) = [v for v in violations if v["policy"] == "iam-no-wildcard-actions"]
    assert (wildcard["file"], wildcard["line"]) == ("__main__.py", 4)
    assert ("__main__.py", 7) in {(r["file"], r["line"]) for r in wildcard["related"]}


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_gate_writes_only_the_report_on_stdout() -> None:
    """`make gate ARGS="--format json" > report.json` gives a parseable report: the echoed
    command and make venv's progress go to stderr."""
    result = subprocess.run(
        ["make", "--no-print-directory", "gate", f"PYTHON={sys.executable}",
         "ARGS=--format json"],
        cwd=REPO, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["mandatory"] == 0
    assert "-m gate --program . --stack dev --policy-pack policypack --format json" in result.stderr


def test_an_error_after_a_missing_stack_file_names_the_file(tmp_path: Path) -> None:
    source = """\
    import pulumi

    pulumi.Config().require("owner")
    """
    program = write_program(tmp_path / "prog", textwrap.dedent(source))
    result = gate("--program", program, "--stack", "prod", "--policy-pack", BASIC_PACK)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    error, warning = result.stderr.split("\nwarning: ", 1)
    assert "owner" in error
    assert warning.startswith("No stack file Pulumi.prod.yaml for stack 'prod'")
    assert "Traceback" not in result.stderr


def test_every_policy_disabled_passes_but_says_nothing_was_checked(tmp_path: Path) -> None:
    program = write_program(tmp_path / "prog", "import pulumi_aws as aws\naws.s3.Bucket('b')\n")
    config = tmp_path / "policy-config.json"
    config.write_text('{"all": "disabled"}', encoding="utf-8")
    result = gate(
        "--program", program, "--policy-pack", BASIC_PACK, "--policy-config", config
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "⚠️  gate-test-basic@v0.3.0 (every policy disabled: nothing was checked)" in result.stdout
    summary = result.stdout.rstrip().splitlines()[-1]
    assert summary.startswith(
        "PASSED: nothing was checked, every policy of gate-test-basic@v0.3.0 is disabled "
        "(3 resources registered)"  # the stack, the default provider and the bucket
    )
    assert summary.endswith("; 3 policies disabled.")


def test_one_disabled_policy_keeps_the_pack_checked(tmp_path: Path) -> None:
    program = write_program(tmp_path / "prog", "import pulumi_aws as aws\naws.s3.Bucket('b')\n")
    config = tmp_path / "policy-config.json"
    config.write_text('{"lambda-runtime": "disabled"}', encoding="utf-8")
    result = gate("--program", program, "--policy-pack", BASIC_PACK, "--policy-config", config)
    assert "nothing was checked" not in result.stdout.split("\nDisabled", 1)[0]
    assert "resources checked by gate-test-basic@v0.3.0" in result.stdout


def test_an_exempted_finding_names_the_declaration_it_waives(tmp_path: Path) -> None:
    tags = "{'Project': 'p', 'Environment': 'dev', 'Owner': 'me', 'ManagedBy': 'pulumi'}"
    source = f"import pulumi_aws as aws\n\naws.cloudwatch.LogGroup('forever', tags={tags})\n"
    program = write_program(tmp_path / "prog", source)
    (program / "Pulumi.dev.yaml").write_text("config:\n  aws:region: eu-west-1\n")
    expires = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=30)).isoformat()
    exemption = {
        "policy": "cloudwatch-log-retention",
        "resource": "forever",
        "reason": "Audit logs are kept forever by law (LEG-1)",
        "expires": expires,
    }
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({"pack-settings": {"exemptions": [exemption]}}))
    args = ("--program", program, "--policy-pack", REPO / "policypack", "--policy-config", config)
    text = gate(*args)
    assert text.returncode == 0, text.stderr
    (line,) = [
        x for x in text.stdout.splitlines() if x.startswith("    - cloudwatch-log-retention")
    ]
    assert line.endswith("Audit logs are kept forever by law (LEG-1)  (__main__.py:3)")
    (exempted,) = json.loads(gate(*args, "--format", "json").stdout)["exempted"]
    assert (exempted["file"], exempted["line"]) == ("__main__.py", 3)


def test_one_run_writes_the_text_and_other_formats(tmp_path: Path) -> None:
    """The action's single run: text on stdout, SARIF and JSON from the same run to files."""
    program = write_program(tmp_path / "prog", "import pulumi_aws as aws\naws.s3.Bucket('b')\n")
    sarif, report = tmp_path / "gate.sarif", tmp_path / "gate.json"
    result = gate(
        "--program", program, "--policy-pack", BASIC_PACK,
        "--also", f"sarif={sarif}", "--also", f"json={report}",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("⚠️  No stack file") and "\nPolicies:\n" in result.stdout
    (run,) = json.loads(sarif.read_text())["runs"]
    document = json.loads(report.read_text())
    assert len(run["results"]) == len(document["violations"]) > 0
    assert f"{document['summary']['mandatory']} mandatory" in result.stdout


@pytest.mark.parametrize("value", ["sarif", "xml=out.xml", "sarif="])
def test_a_malformed_also_is_a_usage_error(value: str, tmp_path: Path) -> None:
    result = gate("--program", tmp_path, "--also", value)
    assert result.returncode == 2
    assert "argument --also: " in result.stderr
    assert "must be FORMAT=FILE with FORMAT one of json, junit, sarif, text" in result.stderr


def test_junit_carries_the_run_warnings(tmp_path: Path) -> None:
    program = write_program(tmp_path / "prog", "import pulumi_aws as aws\naws.s3.Bucket('b')\n")
    result = gate("--program", program, "--policy-pack", BASIC_PACK, "--format", "junit")
    assert result.returncode == 1, result.stderr
    suite = ElementTree.fromstring(result.stdout).find("testsuite")
    assert suite is not None
    warnings = [p.get("value", "") for p in suite.iterfind("properties/property[@name='warning']")]
    assert len(warnings) == 1
    assert warnings[0].startswith("No stack file Pulumi.dev.yaml")
