"""What the CLI and engine do around a run: -c/--secret config, stack tags, providers' config and
version, file assets, policy config parsing, custom-timeout durations."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .conftest import PROBE_PACK, gate_cli, probes, write_program

CONFIG_PROGRAM = """
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
aws.s3.Bucket("b", tags={"env": config.require("env"), "owner": config.require("owner"),
                         "token": config.require_secret("token")})
"""


def test_config_flags_supply_required_config(program_dir: Path) -> None:
    write_program(program_dir, CONFIG_PROGRAM, stack_config="config:\n  testprog:env: from-file\n")
    result = gate_cli(
        "--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json",
        "-c", "env=from-cli", "--config", "testprog:owner=team",
        "--secret", "token=s3cr3t", "-c", "aws:region=eu-central-1",
    )  # fmt: skip
    assert result.code == 0, result.stderr
    found = probes(result.json())
    tags = found["b"]["props"]["tags"]
    assert (tags["env"], tags["owner"], tags["token"]) == ("from-cli", "team", "s3cr3t")
    assert found["b"]["provider"]["props"]["region"] == "eu-central-1"


def test_missing_required_config_fails_and_a_malformed_flag_is_named(program_dir: Path) -> None:
    write_program(program_dir, CONFIG_PROGRAM)
    missing = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
    assert missing.code == 2 and "Missing required configuration variable" in missing.stderr
    for flag in (["-c", "novalue"], ["-c", "a:b:c=1"], ["--secret", "=x"]):
        result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, *flag)
        assert result.code == 2
        assert "must be KEY=VALUE" in result.stderr


TAGGED_PROJECT = "name: testprog\nruntime: python\ndescription: A tagged project\n"


def stack_tags(report: dict) -> dict:
    (tags,) = [
        json.loads(v["message"])["stackTags"]
        for v in report["violations"]
        if v["policy"] == "probe-stack-tags"
    ]
    return tags


def test_stack_tags_in_configure_stack(program_dir: Path) -> None:
    write_program(
        program_dir,
        "import pulumi\n",
        stack_config='config:\n  pulumi:tags:\n    team: platform\n    cost: "42"\n',
    )
    (program_dir / "Pulumi.yaml").write_text(TAGGED_PROJECT, encoding="utf-8")
    git = ["git", "-C", str(program_dir)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run(
        [*git, "remote", "add", "origin", "git@github.com:acme/infra-repo.git"], check=True
    )
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stderr
    assert stack_tags(result.json()) == {
        "pulumi:project": "testprog",
        "pulumi:runtime": "python",
        "pulumi:description": "A tagged project",
        "team": "platform",
        "cost": "42",
        "vcs:owner": "acme",
        "vcs:repo": "infra-repo",
        "vcs:kind": "github.com",
    }


def test_malformed_pulumi_tags_is_an_exit_2(program_dir: Path) -> None:
    write_program(program_dir, "import pulumi\n", stack_config="config:\n  pulumi:tags: [1]\n")
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
    assert result.code == 2
    assert "pulumi:tags must be an object of strings" in result.stderr


PROVIDERS_PROGRAM = """
import pulumi
import pulumi_aws as aws
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class Echo(ResourceProvider):
    def create(self, props):
        return CreateResult("1", props)


class Dyn(Resource):
    def __init__(self, name, props):
        super().__init__(Echo(), name, props)


east = aws.Provider("east", region="us-east-1")
aws.s3.Bucket("b", opts=pulumi.ResourceOptions(provider=east))
Dyn("dyn", {"x": "1"})
"""


def test_explicit_provider_version_and_dynamic_provider_config(program_dir: Path) -> None:
    write_program(
        program_dir,
        PROVIDERS_PROGRAM,
        stack_config="config:\n  aws:region: eu-west-1\n  testprog:app: demo\n",
    )
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stderr
    found = probes(result.json())
    east = found["east"]["props"]
    assert (east["region"], east["version"]) == ("us-east-1", "7.51.1")
    dynamic = found["dyn"]["provider"]
    assert dynamic["type"] == "pulumi:providers:pulumi-python"
    assert dynamic["props"]["aws:region"] == "eu-west-1"
    assert dynamic["props"]["testprog:app"] == "demo"


@pytest.mark.parametrize(
    ("expression", "fragment"),
    [
        ('pulumi.FileArchive("./missing-dir")', "FileArchive of './missing-dir', which does not"),
        ('pulumi.FileAsset("nope.py")', "FileAsset of 'nope.py', which is not a readable file"),
        ('pulumi.FileArchive("notes.txt")', "whose format the engine cannot read"),
        (
            'pulumi.AssetArchive({"a.py": pulumi.FileAsset("gone.py")})',
            "'code.a.py' is a FileAsset of 'gone.py'",
        ),
    ],
)
def test_missing_file_assets_fail_the_run(
    program_dir: Path, expression: str, fragment: str
) -> None:
    source = f"""
import pulumi
import pulumi_aws as aws

aws.lambda_.Function("f", role="arn:aws:iam::123456789012:role/r", runtime="python3.13",
                     handler="a.handler", code={expression})
"""
    write_program(program_dir, source)
    (program_dir / "notes.txt").write_text("x", encoding="utf-8")
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
    assert result.code == 2, result.stdout
    assert fragment in result.stderr


def test_present_file_assets_pass(program_dir: Path) -> None:
    source = """
import pulumi
import pulumi_aws as aws

aws.lambda_.Function("f", role="arn:aws:iam::123456789012:role/r", runtime="python3.13",
                     handler="a.handler", code=pulumi.FileArchive("./src"))
aws.s3.BucketObject("o", bucket="b", source=pulumi.FileAsset("src/a.py"))
"""
    write_program(program_dir, source)
    (program_dir / "src").mkdir()
    (program_dir / "src" / "a.py").write_text("def handler(e, c): pass\n", encoding="utf-8")
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
    assert result.code == 0, result.stderr


@pytest.mark.parametrize("level", ["Mandatory", "ADVISORY", "Disabled"])
def test_enforcement_levels_are_case_sensitive(
    program_dir: Path, tmp_path: Path, level: str
) -> None:
    write_program(program_dir, "import pulumi\n")
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"probe": level}), encoding="utf-8")
    result = gate_cli(
        "--program", program_dir, "--policy-pack", PROBE_PACK, "--policy-config", config
    )
    assert result.code == 2
    assert f'enforcement level "{level}"' in result.stderr


def test_environments_key_is_accepted_and_noted(program_dir: Path, tmp_path: Path) -> None:
    write_program(program_dir, "import pulumi\n")
    config = tmp_path / "policy.json"
    config.write_text(
        json.dumps({"environments": ["security/policy-settings"], "probe": "mandatory"}),
        encoding="utf-8",
    )
    result = gate_cli(
        "--program", program_dir, "--policy-pack", PROBE_PACK, "--policy-config", config,
        "--format", "json",
    )  # fmt: skip
    assert result.code == 1, result.stderr  # probe is now mandatory and always reports
    assert any("security/policy-settings" in note for note in result.json()["notes"])


TIMEOUTS = """
import pulumi
import pulumi_aws as aws

aws.s3.Bucket("b", opts=pulumi.ResourceOptions(
    custom_timeouts=pulumi.CustomTimeouts(create="{create}", delete="1h30m")))
"""


def test_custom_timeouts_parse_like_go(program_dir: Path) -> None:
    write_program(program_dir, TIMEOUTS.format(create="1.5h"))
    assert gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK).code == 0
    for bad in ("5", "10 minutes", "1d"):
        write_program(program_dir, TIMEOUTS.format(create=bad))
        result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
        assert result.code == 2
        assert f"unable to parse customTimeout Value {bad}" in result.stderr


def test_a_get_read_registers_its_packages_default_provider(program_dir: Path) -> None:
    source = """
import pulumi
import pulumi_tls as tls

key = tls.PrivateKey.get("k", "existing-id")
"""
    write_program(program_dir, source, stack_config='config:\n  tls:proxy: \'{"url": "u"}\'\n')
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stderr
    found = probes(result.json())
    assert found["default_5_6_2"]["props"] == {"proxy": '{"url": "u"}', "version": "5.6.2"}
