"""The mock engine answers as the AWS provider and engine would, for programs written elsewhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gate import GateError, Report, run

from .conftest import PROBE_PACK, REPO, gate_cli, write_program

UNKNOWN = "<unknown>"

DICT_DOCUMENTS = """
import json

import pulumi
import pulumi_aws as aws

doc = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "A1",
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/<x>&",
        }
    ],
}
trust = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
bucket = aws.s3.Bucket("b")
policy = aws.iam.Policy("p", policy=doc)
role = aws.iam.Role(
    "r", assume_role_policy=trust, inline_policies=[{"name": "inline", "policy": json.dumps(doc)}]
)
aws.iam.RolePolicy("rp", role=role.id, policy=doc)
aws.s3.BucketPolicy(
    "bp",
    bucket=bucket.id,
    policy={
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket.arn, bucket.arn.apply(lambda arn: arn + "/*")],
                "Condition": {"Bool": {"aws:SecureTransport": False}},
            }
        ],
    },
)
queue = aws.sqs.Queue("q")
aws.sqs.QueuePolicy(
    "qp",
    queue_url=queue.url,
    policy={
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "s3.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue.arn,
                "Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": 5}},
            }
        ],
    },
)
# The output is a string the program can parse, as with the real provider.
pulumi.export("statementCount", policy.policy.apply(lambda s: len(json.loads(s)["Statement"])))
pulumi.export("trust", role.assume_role_policy)
"""


def _facts(report: Report, policy: str) -> dict[str, Any]:
    return {
        v.urn.rsplit("::", 1)[-1]: json.loads(v.message.split("\n", 1)[1])
        for v in report.violations
        if v.policy == policy
    }


def test_dict_policy_document_is_checked_by_the_pack(program_dir: Path) -> None:
    write_program(
        program_dir,
        """
        import pulumi_aws as aws

        aws.iam.Policy(
            "p",
            policy={
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
            },
        )
        """,
    )
    pack = REPO / "policypack"
    result = gate_cli("--program", program_dir, "--policy-pack", pack, "--format", "json")
    assert result.code == 1, result.stderr
    found = [v for v in result.json()["violations"] if v["policy"] == "iam-scoped-resources"]
    assert [v["urn"].rsplit("::", 1)[-1] for v in found] == ["p"]
    assert "Resource '*'" in found[0]["message"]


def test_dict_documents_reach_the_pack_as_objects_and_come_back_as_json(
    program_dir: Path,
) -> None:
    write_program(program_dir, DICT_DOCUMENTS)
    report = run(program_dir, policy_pack=PROBE_PACK)
    seen = _facts(report, "probe")
    state = _facts(report, "probe-stack")
    # Inputs: the object exactly as the SDK sends it in RegisterResource.
    assert seen["p"]["props"]["policy"]["Statement"][0]["Resource"] == "arn:aws:s3:::b/<x>&"
    assert seen["r"]["props"]["assumeRolePolicy"]["Statement"][0]["Action"] == "sts:AssumeRole"
    bucket_arn = seen["bp"]["props"]["policy"]["Statement"][0]["Resource"][0]
    assert bucket_arn.startswith("arn:aws:s3:::b-")
    # Outputs: the provider's JSON text (Go's json.Marshal: compact, sorted keys, <>& escaped).
    assert state["p"]["outputs"]["policy"] == (
        '{"Statement":[{"Action":"s3:GetObject","Effect":"Allow",'
        '"Resource":"arn:aws:s3:::b/\\u003cx\\u003e\\u0026","Sid":"A1"}],"Version":"2012-10-17"}'
    )
    assert state["rp"]["outputs"]["policy"] == state["p"]["outputs"]["policy"]
    assert json.loads(state["r"]["outputs"]["assumeRolePolicy"])["Statement"][0]["Principal"] == {
        "Service": "lambda.amazonaws.com"
    }
    assert isinstance(state["r"]["outputs"]["inlinePolicies"][0]["policy"], str)
    queue_policy = json.loads(state["qp"]["outputs"]["policy"])
    assert queue_policy["Statement"][0]["Condition"] == {
        "NumericLessThan": {"aws:MultiFactorAuthAge": 5}
    }
    assert json.loads(state["bp"]["outputs"]["policy"])["Statement"][0]["Resource"][1].endswith(
        "/*"
    )
    stack = state["testprog-dev"]["outputs"]
    assert stack["statementCount"] == 1
    assert json.loads(stack["trust"])["Version"] == "2012-10-17"


def test_dict_document_holding_an_unknown_is_unknown_when_fresh(program_dir: Path) -> None:
    write_program(program_dir, DICT_DOCUMENTS)
    report = run(program_dir, policy_pack=PROBE_PACK, fresh=True)
    state = _facts(report, "probe-stack")
    assert state["bp"]["outputs"]["policy"] == UNKNOWN  # built from bucket.arn
    assert state["qp"]["outputs"]["policy"] == UNKNOWN
    assert json.loads(state["p"]["outputs"]["policy"])["Statement"][0]["Sid"] == "A1"
    assert _facts(report, "probe")["bp"]["props"]["policy"]["Statement"][0]["Resource"] == [
        UNKNOWN,
        UNKNOWN,
    ]


def test_explicit_provider_named_like_the_default_one_exits_2(program_dir: Path) -> None:
    write_program(
        program_dir,
        """
        import pulumi
        import pulumi_aws as aws

        west = aws.Provider("default_7_51_1", region="us-west-2")
        aws.s3.Bucket("pinned", opts=pulumi.ResourceOptions(provider=west))
        aws.s3.Bucket("defaulted")
        """,
    )
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
    assert result.code == 2, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("error: The program __main__.py registers two resources")
    assert (
        "Duplicate resource URN 'urn:pulumi:dev::testprog::pulumi:providers:aws::default_7_51_1'"
        in result.stderr
    )
    assert "the engine's default provider" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_resources_of_one_type_and_name_exit_2(program_dir: Path) -> None:
    write_program(
        program_dir,
        """
        import pulumi_aws as aws

        aws.s3.Bucket("logs")
        aws.s3.Bucket("data")
        aws.s3.Bucket("logs", tags={"team": "data"})
        """,
    )
    with pytest.raises(GateError) as raised:
        run(program_dir, policy_pack=PROBE_PACK)
    message = str(raised.value)
    first, second = "__main__.py:4", "__main__.py:6"  # registration order may vary
    assert f"({first}, then {second})" in message or f"({second}, then {first})" in message
    urn = "urn:pulumi:dev::testprog::aws:s3/bucket:Bucket::logs"
    assert f"Duplicate resource URN '{urn}'; try giving it a unique name." in message


def test_children_of_same_type_and_name_under_one_component_type_collide(
    program_dir: Path,
) -> None:
    write_program(
        program_dir,
        """
        import pulumi
        import pulumi_aws as aws

        class Site(pulumi.ComponentResource):
            def __init__(self, name):
                super().__init__("acme:web:Site", name)
                aws.s3.Bucket("content", opts=pulumi.ResourceOptions(parent=self))

        Site("blue")
        Site("green")
        """,
    )
    with pytest.raises(GateError, match=r"acme:web:Site\$aws:s3/bucket:Bucket::content'"):
        run(program_dir, policy_pack=PROBE_PACK)
