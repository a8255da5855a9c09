"""Invokes whose arguments hold an unknown: the engine does not run them during preview.

The SDK skips such an invoke itself only when the unknown is not inside a list; otherwise its mock
layer handed ``Unknown`` objects to the gate, which rendered their Python text into policy
documents (a definite, false finding about ``<pulumi.output.Unknown object at 0x…>``).
"""

from __future__ import annotations

from pathlib import Path

from .conftest import PROBE_PACK, gate_cli, probes, write_program

TAGS = '{"Project": "p", "Environment": "e", "Owner": "o", "ManagedBy": "m"}'

PLAIN_FORM = f"""
import pulumi_aws as aws

queue = aws.sqs.Queue("q", tags={TAGS})
doc = aws.iam.get_policy_document(
    statements=[{{"actions": ["sqs:SendMessage"], "resources": [queue.arn]}}]
)
aws.iam.Policy("send", policy=doc.json, tags={TAGS})
"""

# An unknown that no resource's id gates (the SDK's dependency check would otherwise skip the
# invoke before it reaches the engine), as a computed value from a component or an apply can be.
OUTPUT_FORM = f"""
import asyncio

import pulumi
import pulumi_aws as aws


def unknown() -> pulumi.Output:
    value, known = asyncio.Future(), asyncio.Future()
    value.set_result(None)
    known.set_result(False)
    return pulumi.Output(set(), value, known)


doc = aws.iam.get_policy_document_output(
    statements=[{{"actions": ["sqs:SendMessage"], "resources": [unknown()]}}]
)
aws.iam.Policy("send", policy=doc.json, tags={TAGS})
region = aws.get_region_output(region=unknown())
aws.sqs.Queue("q", name=region.name.apply(lambda r: f"q-{{r}}"), tags={TAGS})
known = aws.iam.get_policy_document_output(
    statements=[{{"actions": ["sqs:SendMessage"], "resources": ["arn:aws:sqs:us-east-1:1:q"]}}]
)
aws.iam.Policy("known", policy=known.json, tags={TAGS})
"""


def test_plain_form_under_fresh_is_an_error_naming_the_output_form(program_dir: Path) -> None:
    write_program(program_dir, PLAIN_FORM)
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--fresh")
    assert result.code == 2, result.stdout + result.stderr
    assert "Unknown object" not in result.stdout + result.stderr
    assert "aws:iam/getPolicyDocument:getPolicyDocument with arguments not known" in result.stderr
    assert "get_policy_document_output(...)" in result.stderr
    assert "__main__.py, line 5" in result.stderr


def test_plain_form_by_default_renders_the_document_unchanged(program_dir: Path) -> None:
    write_program(program_dir, PLAIN_FORM)
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stderr
    policy = probes(result.json())["send"]["props"]["policy"]
    assert '"Resource": "arn:aws:sqs:us-east-1:123456789012:q-' in policy
    assert '"Action": "sqs:SendMessage"' in policy


def test_output_form_with_an_unknown_argument_reaches_the_pack_as_unknown(
    program_dir: Path,
) -> None:
    write_program(program_dir, OUTPUT_FORM)
    for flags in ((), ("--fresh",)):
        result = gate_cli(
            "--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json", *flags
        )
        assert result.code == 0, result.stderr
        seen = probes(result.json())
        assert seen["send"]["props"]["policy"] == "<unknown>"
        assert seen["q"]["props"]["name"] == "<unknown>"
        assert '"Resource": "arn:aws:sqs:us-east-1:1:q"' in seen["known"]["props"]["policy"]
