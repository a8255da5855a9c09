"""What reaches the pack, checked through the probe pack (which reports what it receives).

These call `gate.run` in-process, as the policy tests do, and so also prove that `run` can be
called repeatedly in one process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gate import GateError, Report, run

from .conftest import BASIC_PACK, FIXTURES, PROBE_PACK, write_program

FEATURES = FIXTURES / "programs" / "features"
UNKNOWN = "<unknown>"
DEFAULT_PROVIDER = "urn:pulumi:dev::features::pulumi:providers:aws::default_7_51_1"


def facts(report: Report, policy: str = "probe") -> dict[str, Any]:
    """Resource name -> what the probe policy saw for it."""
    return {
        v.urn.rsplit("::", 1)[-1]: json.loads(v.message.split("\n", 1)[1])
        for v in report.violations
        if v.policy == policy
    }


@pytest.fixture(scope="module")
def deployed() -> Report:
    return run(FEATURES, "dev", PROBE_PACK)


@pytest.fixture(scope="module")
def fresh() -> Report:
    return run(FEATURES, "dev", PROBE_PACK, fresh=True)


def test_report_records_every_registration(deployed: Report) -> None:
    types = [r.type for r in deployed.resources]
    # A plain invoke (get_caller_identity) runs synchronously while the registrations declared
    # before it, the stack's own included, are still queued in the SDK: it reaches the engine
    # first and registers the default provider it runs on, as under pulumi preview.
    assert next(t for t in types if not t.startswith("pulumi:providers:")) == "pulumi:pulumi:Stack"
    first_aws = next(i for i, t in enumerate(types) if t.startswith("aws:"))
    assert types.index("pulumi:providers:aws") < first_aws  # registered on first use
    bucket = next(r for r in deployed.resources if r.name == "store" and r.custom)
    assert bucket.urn == (
        "urn:pulumi:dev::features::features:storage:Storage$aws:s3/bucket:Bucket::store"
    )
    assert bucket.parent == "urn:pulumi:dev::features::features:storage:Storage::store"
    assert bucket.provider.startswith(DEFAULT_PROVIDER + "::")
    assert bucket.source_position is not None
    assert bucket.source_position.path.endswith("components/storage.py")
    assert bucket.source_position.line == 10  # self.bucket = aws.s3.Bucket(...)
    policy = next(r for r in deployed.resources if r.name == "worker-sqs")
    assert policy.dependencies and policy.property_dependencies["policy"]
    assert deployed.exit_code == 0  # the probe pack is advisory


def test_default_provider_carries_stack_config(deployed: Report) -> None:
    seen = facts(deployed)
    assert seen["default_7_51_1"]["props"] == {  # config values are strings, as the engine sends
        "region": "eu-central-1",
        "defaultTags": '{"tags":{"team":"platform"}}',
        "version": "7.51.1",
    }
    assert seen["logs"]["provider"]["urn"] == DEFAULT_PROVIDER
    assert seen["logs"]["provider"]["props"]["region"] == "eu-central-1"


def test_explicit_provider_and_its_region(deployed: Report) -> None:
    seen = facts(deployed)
    queue = seen["jobs"]
    assert queue["provider"]["type"] == "pulumi:providers:aws"
    assert queue["provider"]["name"] == "west"
    assert queue["provider"]["props"]["region"] == "us-west-2"
    sqs_policy = json.loads(seen["worker-sqs"]["props"]["policy"])
    resource_arn = sqs_policy["Statement"][0]["Resource"]
    assert resource_arn.startswith("arn:aws:sqs:us-west-2:123456789012:jobs-")


def test_outputs_are_realistic_so_documents_are_checkable(deployed: Report) -> None:
    seen = facts(deployed)
    bucket_name = seen["store"]["props"]["bucket"]
    assert bucket_name.startswith("store-") and len(bucket_name) == len("store-") + 7
    document = json.loads(seen["worker-s3"]["props"]["policy"])
    assert document["Statement"][0] == {
        "Effect": "Allow",
        "Action": ["s3:PutObject", "s3:GetObject"],
        "Resource": f"arn:aws:s3:::{bucket_name}/*",
    }
    assert document["Statement"][1]["Principal"] == "*"
    assert document["Statement"][1]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert seen["worker-s3"]["props"]["role"] == seen["worker"]["props"]["name"]
    stack = facts(deployed, "probe-stack")
    assert stack["features-dev"]["outputs"]["account"] == "123456789012"
    assert stack["jobs"]["outputs"]["url"].startswith("https://sqs.us-west-2.amazonaws.com/")


def test_fresh_leaves_computed_outputs_unknown(fresh: Report) -> None:
    seen = facts(fresh)
    assert seen["worker-s3"]["props"]["policy"] == UNKNOWN  # built from bucket.arn
    assert seen["worker-sqs"]["props"]["policy"] == UNKNOWN  # Output.json_dumps over queue.arn
    assert seen["worker-s3"]["props"]["role"] == UNKNOWN  # role.id
    assert seen["store"]["props"]["bucket"].startswith("store-")  # auto-names are known
    stack = facts(fresh, "probe-stack")
    assert stack["features-dev"]["outputs"]["queueUrl"] == UNKNOWN
    assert stack["jobs"]["outputs"]["arn"] == UNKNOWN  # computed: present, unknown


def test_secrets_reach_the_pack_as_values_and_are_noted(deployed: Report) -> None:
    seen = facts(deployed)
    assert seen["token"]["props"]["value"] == "[secret]"
    parameter = next(r for r in deployed.resources if r.name == "token")
    assert parameter.inputs["value"] == {
        "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
        "value": "[secret]",
    }
    assert any("features:apiToken" in note for note in deployed.notes)


def test_project_config_defaults_apply(deployed: Report) -> None:
    assert facts(deployed)["logs"]["props"]["retentionInDays"] == 14


def test_policy_config_overrides_levels_and_properties() -> None:
    report = run(
        FIXTURES / "programs" / "compliant",
        policy_pack=BASIC_PACK,
        policy_config={
            "required-tags": {"enforcementLevel": "advisory", "tags": ["owner", "cost"]}
        },
    )
    (violation,) = report.violations
    assert violation.policy == "required-tags"
    assert violation.enforcement_level == "advisory"
    assert "['cost']" in violation.message
    assert report.exit_code == 0


def test_run_raises_gate_error_for_bad_input(tmp_path) -> None:
    with pytest.raises(GateError, match=r"No Pulumi\.yaml"):
        run(tmp_path, policy_pack=BASIC_PACK)
    with pytest.raises(GateError, match="advisory, mandatory, remediate, disabled"):
        run(
            FIXTURES / "programs" / "compliant",
            policy_pack=BASIC_PACK,
            policy_config={"x": "strict"},
        )


def test_remediation_runs_before_analysis(program_dir: Path) -> None:
    write_program(program_dir, "import pulumi_aws as aws\naws.s3.Bucket('logs')\n")
    pack = FIXTURES / "packs" / "remediate"
    unremediated = run(program_dir, policy_pack=pack, policy_config={"add-owner": "disabled"})
    assert [v.policy for v in unremediated.violations] == ["owner-tag"]
    remediated = run(program_dir, policy_pack=pack, policy_config={"add-owner": "remediate"})
    assert remediated.violations == []
    assert any("remediation 'add-owner' rewrote the inputs" in note for note in remediated.notes)


def test_transforms_run_as_the_engine_runs_them(program_dir: Path) -> None:
    write_program(
        program_dir,
        """
        import pulumi
        import pulumi_aws as aws

        def tag_everything(args):
            if args.type_ == "aws:s3/bucket:Bucket":
                tags = {**(args.props.get("tags") or {}), "owner": "platform"}
                return pulumi.ResourceTransformResult({**args.props, "tags": tags}, args.opts)
            return None

        def force_destroy(args):
            return pulumi.ResourceTransformResult(
                {**args.props, "forceDestroy": True}, pulumi.ResourceOptions.merge(
                    args.opts, pulumi.ResourceOptions(protect=True)
                )
            )

        aws.s3.Bucket("before")  # stack transforms apply to later registrations only
        pulumi.runtime.register_stack_transform(tag_everything)
        aws.s3.Bucket("after", tags={"team": "data"})
        aws.s3.Bucket("own", opts=pulumi.ResourceOptions(transforms=[force_destroy]))
        """,
    )
    report = run(program_dir, policy_pack=PROBE_PACK)
    seen = facts(report)
    assert "tags" not in seen["before"]["props"]
    assert seen["after"]["props"]["tags"] == {"team": "data", "owner": "platform"}
    assert seen["own"]["props"]["tags"] == {"owner": "platform"}
    assert seen["own"]["props"]["forceDestroy"] is True
    own = next(r for r in report.resources if r.name == "own")
    assert own.options["protect"] is True
