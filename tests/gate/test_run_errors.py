"""Error causes through the API: `gate.run` raises GateError with the paragraph the CLI prints.

The CLI's handling of GateError (exit 2, `error: ` and no traceback) is covered in
test_exit_codes.py; these cases only need the message, so they run in-process and cheaply.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gate import GateError, run

from .conftest import BASIC_PACK, FIXTURES, write_program


def gate_error(program: Path, pack: Path = BASIC_PACK, **kwargs) -> str:
    with pytest.raises(GateError) as raised:
        run(program, policy_pack=pack, **kwargs)
    return str(raised.value)


def test_exception_inside_an_apply_names_the_program_line(program_dir: Path) -> None:
    write_program(
        program_dir,
        """
        import pulumi_aws as aws

        bucket = aws.s3.Bucket("b")
        bucket.arn.apply(lambda arn: int(arn))
        """,
    )
    message = gate_error(program_dir)
    assert message.startswith("The program __main__.py raised ValueError: invalid literal")
    assert "__main__.py, line 5, in <lambda>" in message


def test_error_in_a_program_module_names_that_module(program_dir: Path) -> None:
    write_program(program_dir, "import helpers\nhelpers.build()\n")
    (program_dir / "helpers.py").write_text(
        "import pulumi\n\ndef build():\n    pulumi.Config().require('bucketName')\n"
    )
    message = gate_error(program_dir)
    assert "Missing required configuration variable 'testprog:bucketName'" in message
    assert "helpers.py, line 4, in build" in message


def test_remote_component_is_a_clear_error(program_dir: Path) -> None:
    """A multi-language component's children come from its plugin: no offline verdict."""
    write_program(
        program_dir,
        """
        import pulumi

        class Vpc(pulumi.ComponentResource):
            def __init__(self, name, props, opts=None):
                super().__init__("awsx:ec2:Vpc", name, props, opts, remote=True)

        Vpc("vpc", {"cidrBlock": "10.0.0.0/16"})
        """,
    )
    for fresh in (False, True):
        message = gate_error(program_dir, fresh=fresh)
        assert "'vpc' is a multi-language (remote) component of type 'awsx:ec2:Vpc'" in message
        assert "'awsx' provider plugin" in message
        assert "a verdict would be unsound" in message


def test_local_component_is_not_refused(program_dir: Path) -> None:
    write_program(
        program_dir,
        """
        import pulumi

        class Site(pulumi.ComponentResource):
            def __init__(self, name, opts=None):
                super().__init__("testprog:web:Site", name, None, opts)
                self.register_outputs({})

        Site("site")
        """,
    )
    assert run(program_dir, policy_pack=BASIC_PACK).exit_code == 0


def test_program_logging_an_error_fails_like_the_cli(program_dir: Path) -> None:
    write_program(program_dir, "import pulumi\npulumi.log.error('region not allowed')\n")
    assert "logged an error: region not allowed" in gate_error(program_dir)


def test_policy_document_the_provider_would_reject(program_dir: Path) -> None:
    write_program(
        program_dir,
        """
        import pulumi_aws as aws

        aws.iam.get_policy_document(statements=[{"effect": "Maybe", "actions": ["s3:*"]}])
        """,
    )
    message = gate_error(program_dir)
    assert "'aws:iam/getPolicyDocument:getPolicyDocument' would fail" in message
    assert "effect must be Allow or Deny" in message


def test_pack_crashing_in_a_policy(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (pack / "__main__.py").write_text(
        "from pulumi_policy import PolicyPack, ResourceValidationPolicy\n"
        "def boom(args, report):\n"
        "    raise RuntimeError('policy bug')\n"
        "PolicyPack('crashy', [ResourceValidationPolicy('boom', 'explodes', boom)])\n"
    )
    message = gate_error(FIXTURES / "programs" / "compliant", pack)
    assert message.startswith(f"The policy pack in {pack} failed to analyze urn:pulumi:dev::")
    assert "policy bug" in message


def test_missing_stack_file_means_empty_config(program_dir: Path) -> None:
    write_program(program_dir, "import pulumi_aws as aws\n")
    report = run(program_dir, "staging", BASIC_PACK)
    assert report.stack == "staging"
    assert report.exit_code == 0
    assert any("No stack file Pulumi.staging.yaml" in warning for warning in report.warnings)


def test_cyclic_exception_chains_are_described_once(tmp_path: Path) -> None:
    from gate.program_child import describe_exception  # noqa: PLC0415 (imports the SDK)

    first, second = ValueError("first"), RuntimeError("second")
    first.__context__, second.__context__ = second, first
    assert describe_exception(first, tmp_path) == {"exception": "ValueError: first"}
