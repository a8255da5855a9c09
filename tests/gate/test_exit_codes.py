"""Exit codes as a user sees them: 0 pass, 1 mandatory violation, 2 one readable error paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import BASIC_PACK, FIXTURES, gate_cli, write_program

COMPLIANT = FIXTURES / "programs" / "compliant"

VIOLATING = """
import pulumi
import pulumi_aws as aws

bucket = aws.s3.Bucket("logs")
aws.lambda_.Function(
    "fn",
    role="arn:aws:iam::123456789012:role/fn",
    runtime="python3.9",
    handler="index.handler",
    code=pulumi.AssetArchive({}),
)
"""


def assert_clean_error(result, *fragments: str) -> None:
    """Exit 2, one `error:` paragraph naming the cause, and no traceback from the gate."""
    assert result.code == 2, result.stderr + result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_compliant_program_exits_0() -> None:
    result = gate_cli("--program", COMPLIANT, "--policy-pack", BASIC_PACK)
    assert result.code == 0, result.stderr
    assert "PASSED: 4 resources" in result.stdout
    assert "0 mandatory and 0 advisory" in result.stdout


@pytest.mark.parametrize("zygote", ["1", "0"], ids=["forked-child", "fresh-interpreter"])
def test_violating_program_exits_1_and_names_each_violation(program_dir: Path, zygote: str) -> None:
    write_program(program_dir, VIOLATING)
    result = gate_cli(
        "--program", program_dir, "--policy-pack", BASIC_PACK, env={"GATE_ZYGOTE": zygote}
    )
    assert result.code == 1, result.stderr
    assert "[mandatory]  required-tags" in result.stdout
    assert "[mandatory]  bucket-versioning" in result.stdout
    assert "[advisory]  lambda-runtime" in result.stdout
    assert "urn:pulumi:dev::testprog::aws:s3/bucket:Bucket::logs  (__main__.py:5)" in result.stdout
    assert "FAILED: 4 resources" in result.stdout


def test_advisory_only_exits_0(program_dir: Path) -> None:
    write_program(
        program_dir,
        """
        import pulumi
        import pulumi_aws as aws

        aws.lambda_.Function(
            "fn", role="arn:aws:iam::1:role/r", runtime="python3.9", handler="h.h",
            code=pulumi.AssetArchive({}),
        )
        """,
    )
    result = gate_cli("--program", program_dir, "--policy-pack", BASIC_PACK, "--format", "json")
    assert result.code == 0, result.stderr
    assert result.json()["summary"] == {
        "resources": 3,
        "mandatory": 0,
        "advisory": 1,
        "disabled": 0,
        "exempted": 0,
    }


def test_default_pack_is_the_bundled_pack(program_dir: Path) -> None:
    write_program(program_dir, "import pulumi_aws as aws\naws.s3.Bucket('b')\n")
    result = gate_cli("--program", program_dir, "--format", "json")
    assert result.code == 1, result.stderr
    assert result.json()["policyPacks"][0]["name"] == "serverless-s3-lambda-guard"


def test_missing_policy_pack_directory(program_dir: Path, tmp_path: Path) -> None:
    write_program(program_dir, "import pulumi_aws as aws\naws.s3.Bucket('b')\n")
    result = gate_cli("--program", program_dir, "--policy-pack", tmp_path / "nopack")
    assert_clean_error(result, f"'{tmp_path / 'nopack'}' does not exist", "--policy-pack")


def test_program_exception_names_exception_and_program_frame(program_dir: Path) -> None:
    write_program(
        program_dir,
        """
        import pulumi_aws as aws

        def bucket_name(env):
            return {"prod": "p"}[env]

        aws.s3.Bucket("b", bucket=bucket_name("dev"))
        """,
    )
    result = gate_cli("--program", program_dir, "--policy-pack", BASIC_PACK)
    assert_clean_error(
        result,
        "raised KeyError: 'dev'",
        "__main__.py, line 5, in bucket_name",
        'return {"prod": "p"}[env]',
    )


def test_missing_pulumi_yaml(tmp_path: Path) -> None:
    result = gate_cli("--program", tmp_path, "--policy-pack", BASIC_PACK)
    assert_clean_error(result, f"No Pulumi.yaml in {tmp_path}")


def test_missing_program_directory(tmp_path: Path) -> None:
    result = gate_cli("--program", tmp_path / "nope", "--policy-pack", BASIC_PACK)
    assert_clean_error(result, "does not exist")


def test_unreadable_stack_file(program_dir: Path) -> None:
    write_program(program_dir, "import pulumi\n", stack_config="config: [unclosed\n")
    result = gate_cli("--program", program_dir, "--policy-pack", BASIC_PACK)
    assert_clean_error(result, "Pulumi.dev.yaml is not valid YAML")


def test_non_python_project_is_refused(program_dir: Path) -> None:
    program_dir.mkdir()
    (program_dir / "Pulumi.yaml").write_text("name: x\nruntime: nodejs\n")
    result = gate_cli("--program", program_dir, "--policy-pack", BASIC_PACK)
    assert_clean_error(result, "runtime 'nodejs'", "Python programs only")


def test_pack_that_fails_to_start(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (pack / "__main__.py").write_text("import nonexistent_policy_module\n")
    result = gate_cli("--program", COMPLIANT, "--policy-pack", pack)
    assert_clean_error(
        result,
        f"The policy pack in {pack} exited before serving",
        "ModuleNotFoundError: No module named 'nonexistent_policy_module'",
        "(at __main__.py, line 1, in <module>)",
    )


def test_pack_naming_a_missing_virtualenv(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text(
        "runtime:\n  name: python\n  options:\n    virtualenv: venv\n"
    )
    result = gate_cli("--program", COMPLIANT, "--policy-pack", pack)
    assert_clean_error(result, "names the virtualenv 'venv'")


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ("{not json", "is not valid JSON"),
        ('["required-tags"]', "must be a JSON object"),
        ('{"required-tags": "strict"}', 'enforcement level "strict"; allowed (lower case'),
        ('{"requred-tags": "advisory"}', "'requred-tags', which policy pack 'gate-test-basic'"),
        ('{"required-tags": {"tags": "owner"}}', "required-tags: tags: 'owner' is not of type"),
    ],
)
def test_malformed_policy_config(tmp_path: Path, config: str, fragment: str) -> None:
    config_file = tmp_path / "policy-config.json"
    config_file.write_text(config)
    result = gate_cli(
        "--program", COMPLIANT, "--policy-pack", BASIC_PACK, "--policy-config", config_file
    )
    assert_clean_error(result, fragment)


def test_missing_policy_config_file(tmp_path: Path) -> None:
    result = gate_cli(
        "--program", COMPLIANT, "--policy-pack", BASIC_PACK, "--policy-config", tmp_path / "x"
    )
    assert_clean_error(result, "Cannot read the policy config file")
