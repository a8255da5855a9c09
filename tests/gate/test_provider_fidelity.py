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
aws.iam.GroupPolicy(  # the typed form of the same input
    "gp",
    group="g",
    policy=aws.iam.PolicyDocumentArgs(
        version="2012-10-17",
        statement=[
            aws.iam.PolicyStatementArgs(
                effect="Allow",
                action="sqs:SendMessage",
                resource="*",
                principal=aws.iam.ServicePrincipalArgs(service="s3.amazonaws.com"),
            )
        ],
    ),
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
    assert seen["gp"]["props"]["policy"]["Statement"][0]["Principal"] == {
        "Service": "s3.amazonaws.com"
    }
    assert state["gp"]["outputs"]["policy"] == (
        '{"Statement":[{"Action":"sqs:SendMessage","Effect":"Allow",'
        '"Principal":{"Service":"s3.amazonaws.com"},"Resource":"*"}],"Version":"2012-10-17"}'
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


INVOKES = """
import json

import pulumi
import pulumi_aws as aws

region = aws.get_region()
caller = aws.get_caller_identity()
partition = aws.get_partition()
paris = aws.get_region(region="eu-west-3")
pulumi.export(
    "region", [region.region, region.name, region.id, region.endpoint, region.description]
)
pulumi.export("paris", [paris.region, paris.description])
pulumi.export("caller", [caller.account_id, caller.arn, caller.user_id, caller.id])
pulumi.export(
    "partition",
    [partition.partition, partition.dns_suffix, partition.reverse_dns_prefix, partition.id],
)
pulumi.export("regionOutput", aws.get_region_output().region)

bucket = aws.s3.Bucket("b")
source = aws.iam.get_policy_document(
    statements=[
        {"sid": "Read", "actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::a/*"]},
        {"sid": "List", "actions": ["s3:ListBucket"], "resources": ["arn:aws:s3:::a"]},
    ]
)
WRITE = "arn:aws:s3:::b/*"
ONE, TWO = "arn:aws:iam::111111111111:root", "arn:aws:iam::222222222222:root"
override = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "Read", "Effect": "Allow", "Action": "s3:PutObject", "Resource": WRITE}
        ],
    }
)
merged = aws.iam.get_policy_document(
    source_policy_documents=[source.json],
    override_policy_documents=[override],
    statements=[{"sid": "List", "actions": ["s3:ListAllMyBuckets"], "resources": ["*"]}],
)
pulumi.export("merged", json.loads(merged.json))
parsed = aws.iam.get_policy_document(
    source_policy_documents=[
        json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Principal": {"AWS": [ONE, TWO]},
                        "Condition": {
                            "Bool": {"aws:MultiFactorAuthPresent": True},
                            "NumericLessThan": {"aws:MultiFactorAuthAge": 3600},
                            "StringEquals": {"aws:PrincipalTag/team": ["data"]},
                        },
                    }
                ],
            }
        )
    ]
)
pulumi.export("parsed", json.loads(parsed.json)["Statement"][0])
from_outputs = aws.iam.get_policy_document_output(
    source_policy_documents=[bucket.arn.apply(lambda arn: json.dumps({"Statement": [
        {"Sid": "All", "Effect": "Deny", "Action": "s3:*", "Resource": arn}
    ]}))],
    statements=[{"actions": ["s3:GetObject"], "resources": [bucket.arn.apply(lambda a: a + "/*")]}],
)
pulumi.export("fromOutputs", from_outputs.json)
pulumi.export("dumped", pulumi.Output.json_dumps({"bucket": bucket.arn, "n": 1}))

aws.ecr.LifecyclePolicy(
    "lp",
    repository="repo",
    policy={"rules": [{"rulePriority": 1, "selection": {"tagStatus": "any",
        "countType": "imageCountMoreThan", "countNumber": 5}, "action": {"type": "expire"}}]},
)
aws.cloudwatch.LogResourcePolicy(
    "lrp",
    policy_name="events",
    policy_document={"Version": "2012-10-17", "Statement": []},
)
"""


@pytest.fixture(scope="module")
def invokes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_program(
        tmp_path_factory.mktemp("invokes") / "program",
        INVOKES,
        stack_config="config:\n  aws:region: cn-north-1\n  gate:accountId: '210987654321'\n",
    )


def test_invokes_answer_every_field_as_the_provider_does(invokes: Path) -> None:
    report = run(invokes, policy_pack=PROBE_PACK)
    stack = _facts(report, "probe-stack")["testprog-dev"]["outputs"]
    assert stack["region"] == [
        "cn-north-1",
        "cn-north-1",
        "cn-north-1",
        "ec2.cn-north-1.amazonaws.com.cn",
        "China (Beijing)",
    ]
    assert stack["paris"] == ["eu-west-3", "Europe (Paris)"]
    account, arn, user_id, caller_id = stack["caller"]
    assert (account, caller_id) == ("210987654321", "210987654321")
    assert arn.startswith("arn:aws-cn:iam::210987654321:")
    assert user_id.startswith("AIDA") and len(user_id) == 21
    assert stack["partition"] == ["aws-cn", "amazonaws.com.cn", "cn.com.amazonaws", "aws-cn"]
    assert stack["regionOutput"] == "cn-north-1"
    bucket = next(r for r in report.resources if r.name == "b").outputs
    assert bucket["arn"].startswith("arn:aws-cn:s3:::b-")
    assert bucket["bucketDomainName"].endswith(".s3.amazonaws.com.cn")
    # Source statements first, this document's statements override by Sid, then overrides.
    assert stack["merged"]["Statement"] == [
        {
            "Sid": "Read",
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::b/*",
        },
        {"Sid": "List", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"},
    ]
    # A parsed document is marshalled again by the provider's model: principal lists in reverse
    # order, booleans as strings, one-element lists as strings, numeric conditions dropped.
    assert stack["parsed"]["Principal"] == {
        "AWS": ["arn:aws:iam::222222222222:root", "arn:aws:iam::111111111111:root"]
    }
    assert stack["parsed"]["Condition"] == {
        "Bool": {"aws:MultiFactorAuthPresent": "true"},
        "StringEquals": {"aws:PrincipalTag/team": "data"},
    }
    from_outputs = json.loads(stack["fromOutputs"])
    assert [s.get("Sid") for s in from_outputs["Statement"]] == ["All", None]
    assert from_outputs["Statement"][1]["Resource"] == bucket["arn"] + "/*"
    assert json.loads(stack["dumped"]) == {"bucket": bucket["arn"], "n": 1}
    state = _facts(report, "probe-stack")
    assert json.loads(state["lp"]["outputs"]["policy"])["rules"][0]["selection"]["countNumber"] == 5
    assert state["lrp"]["outputs"]["policyDocument"] == '{"Statement":[],"Version":"2012-10-17"}'


def test_invokes_and_json_over_unknowns_stay_unknown_when_fresh(invokes: Path) -> None:
    report = run(invokes, policy_pack=PROBE_PACK, fresh=True)
    stack = _facts(report, "probe-stack")["testprog-dev"]["outputs"]
    assert stack["fromOutputs"] == UNKNOWN  # its arguments hold the bucket's unknown ARN
    assert stack["dumped"] == UNKNOWN
    assert stack["region"][0] == "cn-north-1"  # invokes over known arguments still answer


def test_get_region_of_no_partition_fails_as_the_provider_would(program_dir: Path) -> None:
    write_program(
        program_dir,
        "import pulumi_aws as aws\nprint(aws.get_region(region='eu-nowhere-9').region)\n",
    )
    with pytest.raises(GateError) as raised:
        run(program_dir, policy_pack=PROBE_PACK)
    assert "'aws:index/getRegion:getRegion' would fail: region 'eu-nowhere-9' is not a region" in (
        str(raised.value)
    )
