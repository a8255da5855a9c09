"""Programs written the way public Pulumi AWS examples are, run through the CLI.

Each test is a pattern a program written elsewhere hits (found by trying such programs on the
gate); the assertion is what a real `pulumi preview --policy-pack` would report.
"""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path

from .conftest import PROBE_PACK, gate_cli, probes, write_program

ALB_ACCESS_LOGS = """
import json
import pulumi
import pulumi_aws as aws

elb_account = aws.elb.get_service_account()
trail_account = aws.cloudtrail.get_service_account()
billing = aws.get_billing_service_account()
logs = aws.s3.Bucket("logs")
aws.s3.BucketPolicy("logs-policy", bucket=logs.id, policy=logs.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Principal": {"AWS": [elb_account.arn, trail_account.arn, billing.arn]},
        "Action": "s3:PutObject",
        "Resource": f"{arn}/*",
    }],
})))
"""


def test_alb_access_log_bucket_policy_from_the_service_accounts(program_dir: Path) -> None:
    """A plain-form lookup used in json.dumps: the provider's table gives it, so the program runs
    (it used to crash on an unknown) and the pack judges the real principals."""
    write_program(program_dir, ALB_ACCESS_LOGS, stack_config="config:\n  aws:region: eu-west-1\n")
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stdout + result.stderr
    policy = probes(result.json())["logs-policy"]["props"]["policy"]
    assert '"arn:aws:iam::156460612806:root"' in policy  # ELB, eu-west-1
    assert '"arn:aws:iam::859597730677:root"' in policy  # CloudTrail, eu-west-1
    assert '"arn:aws:iam::386209384616:root"' in policy  # billing
    notes = "\n".join(result.json()["notes"])
    assert "aws:elb/getServiceAccount:getServiceAccount answered offline as the provider" in notes


def test_a_region_without_a_service_account_fails_as_the_provider_does(
    program_dir: Path,
) -> None:
    write_program(
        program_dir,
        "import pulumi_aws as aws\naws.elb.get_service_account(region='me-central-1')\n",
    )
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
    assert result.code == 2
    assert "aws:elb/getServiceAccount:getServiceAccount" in result.stdout + result.stderr
    assert "me-central-1" in result.stdout + result.stderr


PLAIN_PARAMETER = """
import json
import pulumi_aws as aws

param = aws.ssm.get_parameter(name="/app/allowed-account")
aws.ssm.Parameter("copy", type="String", value=param.value)  # passed on: an unknown input
{use}
"""


def test_a_plain_unknown_passed_on_reaches_the_pack_as_unknown(program_dir: Path) -> None:
    write_program(program_dir, PLAIN_PARAMETER.format(use=""))
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stdout + result.stderr
    assert probes(result.json())["copy"]["props"]["value"] == "<unknown>"


def test_a_plain_unknown_made_into_text_is_refused_with_the_remedy(program_dir: Path) -> None:
    """Formatted, it would reach the pack as the placeholder's repr (invented content); serialized
    it crashed the program with a bare TypeError. Both stop with the function and the way out."""
    uses = (
        'aws.ec2.Instance("i", ami="ami-0123456789abcdef0", instance_type="t3.micro", '
        'user_data=f"echo {param.value}")',
        'aws.iam.Policy("p", policy=json.dumps({"Condition": param.value}))',
        'aws.iam.Policy("p", policy="%s" % param.value)',
    )
    for use in uses:
        write_program(program_dir, PLAIN_PARAMETER.format(use=use))
        result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK)
        assert result.code == 2, use
        assert "aws:ssm/getParameter:getParameter (insecureValue, value)" in result.stderr, use
        assert "--invoke-answers" in result.stderr and "get_x_output" in result.stderr, use
        assert "Traceback" not in result.stderr


def test_recorded_answers_give_the_plain_value(program_dir: Path, tmp_path: Path) -> None:
    use = 'aws.iam.Policy("p", policy=json.dumps({"Condition": param.value}))'
    write_program(program_dir, PLAIN_PARAMETER.format(use=use))
    answers = tmp_path / "answers.json"
    answers.write_text(
        '{"aws:ssm/getParameter:getParameter": {"value": "111122223333", "name": "x"}}'
    )
    result = gate_cli(
        "--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json",
        "--invoke-answers", answers,
    )  # fmt: skip
    assert result.code == 0, result.stdout + result.stderr
    assert probes(result.json())["p"]["props"]["policy"] == '{"Condition": "111122223333"}'


EIP_CONDITION = """
import json
import pulumi
import pulumi_aws as aws

eip = aws.ec2.Eip("nat-ip", domain="vpc")
server = aws.ec2.Instance("server", ami="ami-0123456789abcdef0", instance_type="t3.micro")
bucket = aws.s3.Bucket("artifacts")
aws.s3.BucketPolicy("artifacts-policy", bucket=bucket.id, policy=pulumi.Output.all(
    bucket.arn, eip.public_ip, eip.private_ip, server.public_ip
).apply(lambda a: json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"{a[0]}/*",
        "Condition": {"IpAddress": {"aws:SourceIp": [f"{a[1]}/32", f"{a[2]}/32", f"{a[3]}/32"]}},
    }],
})))
"""


def test_address_outputs_are_addresses(program_dir: Path) -> None:
    """A policy narrowed to an Elastic IP: the engine hands the program the real address, so the
    gate's placeholder must parse as one (it was `publicIp-<hex>`, "not an IP range" to a pack)."""
    write_program(program_dir, EIP_CONDITION)
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stdout + result.stderr
    document = json.loads(probes(result.json())["artifacts-policy"]["props"]["policy"])
    public, private, server = document["Statement"][0]["Condition"]["IpAddress"]["aws:SourceIp"]
    test_net = ipaddress.ip_network("203.0.113.0/24")  # RFC 5737: no real host has it
    assert ipaddress.ip_network(public).subnet_of(test_net)
    assert ipaddress.ip_network(server).subnet_of(test_net)
    assert ipaddress.ip_network(private).subnet_of(ipaddress.ip_network("10.0.0.0/8"))


def test_a_policy_narrowed_to_an_elastic_ip_passes_the_bundled_pack(program_dir: Path) -> None:
    write_program(program_dir, EIP_CONDITION)
    result = gate_cli("--program", program_dir, "--format", "json")
    findings = [v for v in result.json()["violations"] if v["urn"].endswith("::artifacts-policy")]
    assert findings == [], findings


STACK_REFERENCE = """
import json
import pulumi
import pulumi_aws as aws

network = pulumi.StackReference("org/network/prod")
aws.ec2.SecurityGroup("sg", vpc_id=network.get_output("vpcId"))
bucket = aws.s3.Bucket("b")
aws.s3.BucketPolicy("bp", bucket=bucket.id, policy=pulumi.Output.all(
    bucket.arn, network.require_output("deployerArn")
).apply(lambda a: json.dumps({"Statement": [
    {"Effect": "Allow", "Principal": {"AWS": a[1]}, "Action": "s3:GetObject", "Resource": a[0]}
]})))
"""


def test_a_stack_reference_gives_unknown_outputs_and_names_the_remedy(program_dir: Path) -> None:
    """A real preview reads the other stack's outputs from the backend; offline they are unknown
    (it was an exit 2 with no verdict at all), and the notes say how to record them."""
    write_program(program_dir, STACK_REFERENCE)
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stdout + result.stderr
    found = probes(result.json())
    assert found["sg"]["props"]["vpcId"] == "<unknown>"
    assert found["bp"]["props"]["policy"] == "<unknown>"
    note = next(n for n in result.json()["notes"] if "org/network/prod" in n)
    assert "unknown" in note and "--invoke-answers" in note


def test_a_stack_reference_answered_from_recorded_outputs(
    program_dir: Path, tmp_path: Path
) -> None:
    write_program(program_dir, STACK_REFERENCE)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"pulumi:pulumi:StackReference": [
        {"args": {"name": "org/other/dev"}, "result": {"vpcId": "vpc-wrong"}},
        {"args": {"name": "org/network/prod"}, "result": {
            "vpcId": "vpc-0abc", "deployerArn": "arn:aws:iam::111122223333:role/deployer"}},
    ]}))  # fmt: skip
    result = gate_cli(
        "--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json",
        "--invoke-answers", answers,
    )  # fmt: skip
    assert result.code == 0, result.stdout + result.stderr
    found = probes(result.json())
    assert found["sg"]["props"]["vpcId"] == "vpc-0abc"
    assert "arn:aws:iam::111122223333:role/deployer" in found["bp"]["props"]["policy"]
    assert any("org/network/prod" in n and "--invoke-answers" in n for n in result.json()["notes"])


def test_required_collections_of_a_lookup_are_empty_not_null(program_dir: Path) -> None:
    """The provider always returns a list or map the result type requires; programs iterate them
    without a check (they crashed on None). An optional one stays absent."""
    write_program(
        program_dir,
        """
        import pulumi_aws as aws

        zone = aws.route53.get_zone(name="example.com")
        vpc = aws.ec2.get_vpc(default=True)
        servers = [f"{ns}." for ns in zone.name_servers]
        aws.s3.Bucket("b", tags={"vpc": vpc.tags.get("Name", "none"), "ns": str(len(servers))})
        """,
    )
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stdout + result.stderr
    assert probes(result.json())["b"]["props"]["tags"] == {"vpc": "none", "ns": "0"}


API_GATEWAY = """
import pulumi
import pulumi_aws as aws

api = aws.apigateway.RestApi("api")
http = aws.apigatewayv2.Api("http", protocol_type="HTTP")
existing = aws.apigateway.RestApi.get("existing", "a1b2c3d4e5")
for name, source in (("rest", api.execution_arn), ("v2", http.execution_arn),
                     ("read", existing.execution_arn)):
    aws.lambda_.Permission(name, action="lambda:InvokeFunction", function="fn",
                           principal="apigateway.amazonaws.com",
                           source_arn=source.apply(lambda arn: f"{arn}/*/*"))
aws.s3.Bucket("ids", tags={"rest": api.id, "restArn": api.arn, "http": http.api_endpoint})
"""


def test_api_gateway_ids_and_arns_are_in_aws_formats(program_dir: Path) -> None:
    """Lambda permissions name `<api>.execution_arn/*/*`: an `execute-api` ARN with the API's
    generated id (it was an `apigateway` ARN with the API's name)."""
    write_program(program_dir, API_GATEWAY, stack_config="config:\n  aws:region: eu-west-1\n")
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    assert result.code == 0, result.stdout + result.stderr
    found = probes(result.json())
    tags = found["ids"]["props"]["tags"]
    assert len(tags["rest"]) == 10 and tags["rest"].isalnum() and tags["rest"].islower()
    assert tags["restArn"] == f"arn:aws:apigateway:eu-west-1::/restapis/{tags['rest']}"
    assert found["rest"]["props"]["sourceArn"] == (
        f"arn:aws:execute-api:eu-west-1:123456789012:{tags['rest']}/*/*"
    )
    http_id = tags["http"].removeprefix("https://").split(".")[0]
    assert tags["http"] == f"https://{http_id}.execute-api.eu-west-1.amazonaws.com"
    assert found["v2"]["props"]["sourceArn"] == (
        f"arn:aws:execute-api:eu-west-1:123456789012:{http_id}/*/*"
    )
    assert found["read"]["props"]["sourceArn"] == (
        "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/*/*"
    )
