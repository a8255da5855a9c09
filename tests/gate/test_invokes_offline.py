"""Provider functions are answered offline from the SDK's own result types.

Identifiers are realistic, deterministic, region- and partition-true; arguments are echoed; a
document or value only the account knows is unknown (never invented); each function is listed in
the notes; ``--invoke-answers`` supplies recorded real answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import PROBE_PACK, gate_cli, probes, write_program

LOOKUPS = """
import pulumi
import pulumi_aws as aws

azs = aws.get_availability_zones(state="available")
vpc = aws.ec2.get_vpc(default=True)
subnets = aws.ec2.get_subnets(filters=[{"name": "vpc-id", "values": [vpc.id]}])
ami = aws.ec2.get_ami(most_recent=True, owners=["amazon"],
                      filters=[{"name": "name", "values": ["al2023-ami-*"]}])
zone = aws.route53.get_zone(name="example.com")
role = aws.iam.get_role(name="deployer")
existing = aws.iam.get_policy(arn="arn:aws:iam::aws:policy/ReadOnlyAccess")
elb = aws.elb.get_service_account()
aws.s3.Bucket("plain", tags={
    "az0": azs.names[0], "az2": azs.names[2], "zoneId": azs.zone_ids[0], "vpc": vpc.id,
    "subnet": subnets.ids[0], "ami": ami.id, "zone": zone.zone_id, "roleArn": role.arn,
    "vpcArn": vpc.arn, "region": vpc.region, "state": azs.state,
})
aws.iam.Policy("copy", policy=existing.policy)
aws.iam.Policy("elb", policy=elb.arn)
bucket = aws.s3.get_bucket(bucket="existing-logs")
aws.s3.BucketPolicy("logs", bucket=bucket.id, policy=bucket.arn)

azs_out = aws.get_availability_zones_output()
param = aws.ssm.get_parameter_output(name="/app/config")
mumbai = aws.get_availability_zones(region="ap-south-1")
aws.s3.Bucket("output", tags={"az1": azs_out.names[1], "mumbai": mumbai.zone_ids[1]})
aws.ssm.Parameter("param", type="String", value=param.value)
"""


def run_lookups(program_dir: Path, region: str, *flags: str) -> dict:
    write_program(program_dir, LOOKUPS, stack_config=f"config:\n  aws:region: {region}\n")
    result = gate_cli(
        "--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json", *flags
    )
    assert result.code == 0, result.stderr
    return result.json()


def test_lookups_are_answered_region_true_and_listed_in_the_notes(program_dir: Path) -> None:
    report = run_lookups(program_dir, "eu-west-2")
    found = probes(report)
    tags = found["plain"]["props"]["tags"]
    assert (tags["az0"], tags["az2"], tags["zoneId"]) == ("eu-west-2a", "eu-west-2c", "euw2-az1")
    assert tags["vpc"].startswith("vpc-0") and len(tags["vpc"]) == 21
    assert tags["subnet"].startswith("subnet-0")
    assert tags["ami"].startswith("ami-0")
    assert tags["zone"].startswith("Z")
    assert tags["roleArn"] == "arn:aws:iam::123456789012:role/deployer"  # the name looked up
    assert tags["vpcArn"].startswith(f"arn:aws:ec2:eu-west-2:123456789012:vpc/{tags['vpc']}")
    assert tags["region"] == "eu-west-2"
    assert tags["state"] == "available"  # the argument, echoed
    assert found["output"]["props"]["tags"] == {"az1": "eu-west-2b", "mumbai": "aps1-az2"}
    assert found["logs"]["props"]["policy"] == "arn:aws:s3:::existing-logs"
    notes = "\n".join(report["notes"])
    for token in (
        "aws:index/getAvailabilityZones:getAvailabilityZones",
        "aws:ec2/getVpc:getVpc",
        "aws:ec2/getSubnets:getSubnets",
        "aws:ec2/getAmi:getAmi",
        "aws:route53/getZone:getZone",
        "aws:iam/getRole:getRole",
        "aws:ssm/getParameter:getParameter",
    ):
        assert f"{token} answered offline" in notes


def test_values_only_the_account_knows_are_unknown_never_invented(program_dir: Path) -> None:
    found = probes(run_lookups(program_dir, "us-east-1"))
    assert found["copy"]["props"]["policy"] == "<unknown>"  # an existing policy's document
    assert found["param"]["props"]["value"] == "<unknown>"  # an SSM parameter's value


def test_aws_service_accounts_come_from_the_provider_table(program_dir: Path) -> None:
    """The provider answers getServiceAccount from a compiled-in table, so a preview knows it."""
    found = probes(run_lookups(program_dir, "eu-west-2"))
    assert found["elb"]["props"]["policy"] == "arn:aws:iam::652711504416:root"
    china = probes(run_lookups(program_dir, "cn-north-1"))
    assert china["elb"]["props"]["policy"] == "arn:aws-cn:iam::638102146993:root"


def test_answers_are_deterministic(program_dir: Path) -> None:
    first = probes(run_lookups(program_dir, "us-east-1"))["plain"]
    second = probes(run_lookups(program_dir, "us-east-1"))["plain"]
    assert first == second


def test_other_partitions_get_their_arns(program_dir: Path) -> None:
    tags = probes(run_lookups(program_dir, "cn-north-1"))["plain"]["props"]["tags"]
    assert tags["vpcArn"].startswith("arn:aws-cn:ec2:cn-north-1:")
    assert tags["roleArn"].startswith("arn:aws-cn:iam::")
    assert tags["zoneId"] == "cnn1-az1"


def test_invoke_answers_file_by_token_and_by_arguments(program_dir: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    document = (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
    )
    answers.write_text(
        json.dumps(
            {
                "aws:iam/getPolicy:getPolicy": [
                    {"args": {"arn": "arn:aws:iam::aws:policy/Other"}, "result": {"policy": "{}"}},
                    {
                        "args": {"arn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
                        "result": {
                            "arn": "arn:aws:iam::aws:policy/ReadOnlyAccess",
                            "policy": document,
                        },
                    },
                ],
                "aws:ec2/getVpc:getVpc": {"id": "vpc-0recorded", "arn": "arn:aws:ec2:x"},
            }
        ),
        encoding="utf-8",
    )
    report = run_lookups(program_dir, "us-east-1", "--invoke-answers", answers)
    found = probes(report)
    assert found["copy"]["props"]["policy"] == document
    assert found["plain"]["props"]["tags"]["vpc"] == "vpc-0recorded"
    assert "aws:ec2/getVpc:getVpc answered from --invoke-answers." in report["notes"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[1]", "must be a JSON object mapping a function token"),
        ('{"getVpc": {}}', "is not a function token"),
        ('{"aws:ec2/getVpc:getVpc": [{"args": {}}]}', "the entry for aws:ec2/getVpc:getVpc"),
        ("{", "is not valid JSON"),
    ],
)
def test_malformed_invoke_answers_is_an_exit_2(
    program_dir: Path, tmp_path: Path, content: str, fragment: str
) -> None:
    write_program(program_dir, "import pulumi\n")
    answers = tmp_path / "answers.json"
    answers.write_text(content, encoding="utf-8")
    result = gate_cli(
        "--program", program_dir, "--policy-pack", PROBE_PACK, "--invoke-answers", answers
    )
    assert result.code == 2
    assert fragment in result.stderr


OTHER_PACKAGE = """
import pulumi_aws as aws
import pulumi_tls as tls

key = tls.get_public_key(private_key_openssh="ssh-ed25519 AAAA")
aws.s3.Bucket("b", tags={"id": key.id, "algorithm": str(key.algorithm is None)})
"""


def test_other_packages_functions_are_answered_and_get_their_default_provider(
    program_dir: Path,
) -> None:
    write_program(
        program_dir, OTHER_PACKAGE, stack_config='config:\n  tls:proxy: \'{"url": "x"}\'\n'
    )
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stderr
    report = result.json()
    tags = probes(report)["b"]["props"]["tags"]
    assert tags["id"].startswith("public-key-")
    assert tags["algorithm"] == "True"  # not modelled: absent, not invented
    providers = {r["name"]: r for r in report["resources"] if r["type"] == "pulumi:providers:tls"}
    assert list(providers) == ["default_5_6_2"]  # registered although only an invoke used tls
    assert probes(report)["default_5_6_2"]["props"] == {"proxy": '{"url": "x"}', "version": "5.6.2"}
    assert "aws:" not in " ".join(n for n in report["notes"] if "tls:index" in n)


def test_global_services_come_from_botocore() -> None:
    from gate.invokes import global_services  # noqa: PLC0415

    assert {"iam", "route53", "cloudfront", "organizations", "s3"} <= global_services()
    assert not {"ec2", "lambda", "sqs"} & global_services()


SOURCE_DOCUMENT = """
import pulumi_aws as aws

existing = aws.iam.get_policy(arn="arn:aws:iam::aws:policy/Custom")
doc = aws.iam.get_policy_document(
    source_policy_documents=[existing.policy],
    statements=[{"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"]}],
)
aws.iam.Policy("merged", policy=doc.json)
"""


def test_a_document_built_from_an_unknowable_one_needs_the_recorded_answer(
    program_dir: Path, tmp_path: Path
) -> None:
    write_program(program_dir, SOURCE_DOCUMENT)
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
    assert result.code == 2
    assert "aws:iam/getPolicy:getPolicy (policy) unknown" in result.stderr
    assert "--invoke-answers" in result.stderr
    answers = tmp_path / "answers.json"
    recorded = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Recorded", "Effect": "Allow", "Action": "sqs:*", "Resource": "*"}],
    }
    answers.write_text(
        json.dumps({"aws:iam/getPolicy:getPolicy": {"policy": json.dumps(recorded)}}),
        encoding="utf-8",
    )
    result = gate_cli(
        "--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json",
        "--invoke-answers", answers,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    merged = json.loads(probes(result.json())["merged"]["props"]["policy"])
    assert [s.get("Sid") for s in merged["Statement"]] == ["Recorded", None]


def test_exact_functions_are_listed_with_the_account_used(program_dir: Path) -> None:
    source = """
import pulumi_aws as aws

me = aws.get_caller_identity()
aws.s3.Bucket("b", tags={"account": me.account_id})
"""
    write_program(program_dir, source, stack_config="config:\n  gate:accountId: '210987654321'\n")
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stderr
    assert probes(result.json())["b"]["props"]["tags"] == {"account": "210987654321"}
    assert (
        "aws:index/getCallerIdentity:getCallerIdentity answered offline for the account "
        "210987654321 (set gate:accountId or aws:allowedAccountIds to use yours)."
    ) in result.json()["notes"]
