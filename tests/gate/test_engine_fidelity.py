"""What the gate sends the pack, compared with what the engine sends (issue 8), through the CLI.

The recorder pack writes every Analyzer call it receives, raw, to a file: properties as they
arrive on the wire (unknown sentinels and secret envelopes included), options, and how many
calls were in progress at once. The engine's side is cited in the gate's code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import FIXTURES, PROBE_PACK, gate_cli, probes, write_program

PROGRAM = FIXTURES / "programs" / "fidelity"
RECORDER = FIXTURES / "packs" / "recorder"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's UnknownStringValue
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"}
ROOT = "urn:pulumi:dev::fidelity::pulumi:pulumi:Stack::fidelity-dev"
WORKER = "urn:pulumi:dev::fidelity::aws:iam/role:Role::worker"


def record(tmp_path: Path, *args: str, program: Path = PROGRAM) -> tuple[Any, list[dict]]:
    """Run the gate with the recorder pack; return (CLI result, recorded calls)."""
    path = tmp_path / "calls.jsonl"
    result = gate_cli(
        "--program",
        program,
        "--policy-pack",
        RECORDER,
        "--format",
        "json",
        *args,
        env={"GATE_RECORD": str(path)},
    )
    calls = [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []
    return result, calls


def analyzed(calls: list[dict], method: str = "Analyze") -> dict[str, dict]:
    """Resource name -> the last `method` call for it."""
    return {c["urn"].rsplit("::", 1)[-1]: c for c in calls if c["call"] == method}


def stack(calls: list[dict]) -> dict[str, dict]:
    (call,) = [c for c in calls if c["call"] == "AnalyzeStack"]
    return {r["urn"].rsplit("::", 1)[-1]: r for r in call["resources"]}


@pytest.fixture(scope="module")
def deployed(tmp_path_factory) -> tuple[Any, list[dict]]:
    return record(tmp_path_factory.mktemp("deployed"))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> tuple[Any, list[dict]]:
    return record(tmp_path_factory.mktemp("fresh"), "--fresh")


def test_the_program_runs_to_completion_with_other_providers(deployed) -> None:
    result, calls = deployed
    assert result.code == 0, result.stderr
    seen = stack(calls)
    for name, output in (("password", "result"), ("key", "publicKeyPem"), ("run", "stdout")):
        value = seen[name]["props"][output]
        value = value["value"] if isinstance(value, dict) else value  # a declared secret
        assert isinstance(value, str), (name, output)
    exports = seen["fidelity-dev"]["props"]
    result = seen["password"]["props"]["result"]["value"]
    assert exports["passwordLength"] == {**SECRET, "value": len(result)}  # apply ran, secret kept


def test_declared_secret_outputs_are_secrets_and_so_is_what_is_built_from_them(
    tmp_path: Path,
) -> None:
    """The engine wraps each `additionalSecretOutputs` output in a secret after the step
    (step_executor.go), so a database password from a random password reaches the pack as a
    secret; it reached it as plain text."""
    program = write_program(
        tmp_path / "program",
        """
        import pulumi
        import pulumi_aws as aws
        import pulumi_random as random
        import pulumi_tls as tls

        password = random.RandomPassword("pw", length=16)
        aws.rds.Instance("db", engine="mysql", instance_class="db.t3.micro",
                         allocated_storage=20, username="admin", password=password.result)
        key = tls.PrivateKey("key", algorithm="ED25519")
        aws.ssm.Parameter("key-param", type="SecureString", value=key.private_key_pem)
        queue = aws.sqs.Queue("q", opts=pulumi.ResourceOptions(
            additional_secret_outputs=["url", "id"]))
        aws.sqs.QueuePolicy("qp", queue_url=queue.url, policy="{}")
        """,
    )
    for flags in ((), ("--fresh",)):
        result, calls = record(tmp_path, *flags, program=program)
        assert result.code == 0, result.stderr
        inputs, outputs = analyzed(calls), stack(calls)
        assert set(inputs["db"]["props"]["password"]) == {*SECRET, "value"}, flags
        assert set(inputs["key-param"]["props"]["value"]) == {*SECRET, "value"}, flags
        assert set(inputs["qp"]["props"]["queueUrl"]) == {*SECRET, "value"}, flags
        assert set(outputs["pw"]["props"]["result"]) == {*SECRET, "value"}, flags
        assert set(outputs["q"]["props"]["url"]) == {*SECRET, "value"}, flags
        if not flags:  # the engine never makes `id` secret (a create's id is absent in preview)
            assert isinstance(outputs["q"]["props"]["id"], str)
        (tmp_path / "calls.jsonl").unlink()


def test_custom_resources_passed_as_values_reach_the_pack_as_their_id(deployed, fresh) -> None:
    role_name = analyzed(deployed[1])["worker"]["props"]["name"]
    for calls, role_id in ((deployed[1], role_name), (fresh[1], UNKNOWN)):
        seen = analyzed(calls)
        assert seen["scalar"]["props"]["role"] == role_id
        assert seen["listed"]["props"]["roles"] == [role_id]
        assert seen["holder"]["props"]["role"] == role_id  # a component's inputs
        assert seen["labelled"]["props"]["tags"]["role"] == role_id  # nested in a map
        holder_outputs = stack(calls)["holder"]["props"]  # register_outputs
        assert holder_outputs == {"role": role_id, "roles": [role_id], "nested": {"role": role_id}}


def test_a_component_passed_as_a_value_reaches_the_pack_as_its_urn(deployed) -> None:
    tags = analyzed(deployed[1])["labelled"]["props"]["tags"]
    assert tags["holder"] == "urn:pulumi:dev::fidelity::fidelity:index:Holder::holder"


def test_internal_keys_are_stripped_for_analysis_and_kept_for_remediation(deployed) -> None:
    calls = deployed[1]
    assert "__provider" in analyzed(calls, "Remediate")["echo"]["props"]
    assert analyzed(calls)["echo"]["props"] == {"message": "hi"}  # the dynamic resource is sent
    assert "__provider" not in stack(calls)["echo"]["props"]


def test_reads_are_answered_with_the_requested_id_and_known_state(deployed, fresh) -> None:
    for calls in (deployed[1], fresh[1]):
        policy = analyzed(calls)["existing-policy"]["props"]
        assert policy["bucket"] == "my-existing-bucket"
        assert policy["policy"] == '{"Resource":"arn:aws:s3:::my-existing-bucket/*"}'
        assert "existing" not in analyzed(calls)  # read resources are not analyzed
        managed = analyzed(calls)["managed"]["props"]["policyArn"]
        assert managed == "arn:aws:iam::aws:policy/ReadOnlyAccess"  # read by ARN: that ARN


def test_every_declared_output_has_a_value_and_fresh_leaves_computed_ones_unknown(
    deployed, fresh
) -> None:
    oai = stack(deployed[1])["oai"]["props"]
    assert oai["iamArn"].startswith("arn:aws:iam::cloudfront:user/CloudFront Origin Access")
    assert oai["iamArn"].endswith(oai["id"])
    assert oai["comment"] is None  # an optional input left unset
    assert stack(deployed[1])["fidelity-dev"]["props"]["oaiPrincipal"] == oai["iamArn"]
    fresh_oai = stack(fresh[1])["oai"]["props"]
    for computed in ("iamArn", "arn", "etag", "s3CanonicalUserId", "callerReference"):
        assert fresh_oai[computed] == UNKNOWN, computed
    # a declared secret output: secret(unknown), as step_executor.go wraps it
    assert stack(fresh[1])["password"]["props"]["result"] == {**SECRET, "value": UNKNOWN}


def test_every_type_with_an_optional_name_input_is_auto_named(deployed) -> None:
    name = analyzed(deployed[1])["cluster"]["props"]["name"]  # aws.ecs.Cluster
    assert name.startswith("cluster-") and len(name) == len("cluster-") + 7
    assert stack(deployed[1])["cluster"]["props"]["arn"].endswith(f":cluster/{name}")


def test_remediation_feeds_the_stack_analysis_and_diagnostics_are_advisory(deployed, fresh) -> None:
    tags = stack(deployed[1])["labelled"]["props"]["tags"]
    assert tags["owner"] == "unassigned"  # the remediated value, also in AnalyzeStack
    violations = fresh[0].json()["violations"]
    (diagnostic,) = [v for v in violations if v["policy"] == "add-owner"]
    assert diagnostic["enforcementLevel"] == "advisory"
    assert diagnostic["urn"].endswith("aws:iam/rolePolicy:RolePolicy::inline")


def test_calls_are_made_one_at_a_time_in_the_engines_order(deployed) -> None:
    calls = deployed[1]
    assert [c["call"] for c in calls[:3]] == ["ConfigureStack", "GetAnalyzerInfo", "Configure"]
    assert all(c["active"] == 1 for c in calls)
    analyze_order = [c["urn"] for c in calls if c["call"] == "Analyze"]
    stack_call = next(c for c in calls if c["call"] == "AnalyzeStack")
    assert analyze_order == [r["urn"] for r in stack_call["resources"]]  # registration order


def test_stack_analysis_omits_empty_dependency_lists_and_roots_urnless_findings(deployed) -> None:
    result, calls = deployed
    for resource in stack(calls).values():
        assert all(resource["propertyDependencies"].values()), resource["urn"]
    assert stack(calls)["scalar"]["propertyDependencies"] == {
        "role": ["urn:pulumi:dev::fidelity::aws:iam/role:Role::worker"]
    }
    violations = result.json()["violations"]
    notes = {v["message"]: v["urn"] for v in violations if v["policy"] == "stack-note"}
    # the engine keeps a stack finding's URN only when it names a resource of this stack
    # (AnalyzeResources in pkg/resource/deploy/step_generator.go); otherwise the root stack's
    assert notes == {
        "stack-level finding without a URN": ROOT,
        "finding on another stack's resource": ROOT,
        "finding on a resource of this stack": WORKER,
    }


def test_transforms_round_trip_the_options_the_engine_honours(deployed) -> None:
    options = analyzed(deployed[1])["jobs"]["options"]
    assert options["protect"] is True
    assert options["customTimeouts"]["create"] == 420.0
    # the engine sends only the alias its old state was found under (none here: new, or deployed
    # under this URN), not the aliases the program asks for (step_generator.go, generateSteps)
    assert "aliases" not in options
    dependencies = stack(deployed[1])["jobs"]["dependencies"]
    assert dependencies == ["urn:pulumi:dev::fidelity::aws:iam/role:Role::worker"]


def test_tags_all_merges_default_tags_into_a_secret_tag_map(deployed, fresh) -> None:
    for calls in (deployed[1], fresh[1]):
        tags_all = stack(calls)["secret-tags"]["props"]["tagsAll"]
        assert tags_all == {**SECRET, "value": {"team": "platform", "owner": "sec"}}
        assert stack(calls)["jobs"]["props"]["tagsAll"] == {"team": "platform"}


AUTONAMED = """
import pulumi_aws as aws

aws.ecs.Cluster("cluster")
aws.s3.Bucket("Logs")
aws.sqs.Queue("jobs")
"""


def autonames(tmp_path: Path, config: str) -> tuple[Any, dict[str, str]]:
    program = write_program(
        tmp_path / "program", AUTONAMED, stack_config=f"config:\n  pulumi:autonaming:\n{config}"
    )
    result = gate_cli("--program", program, "--policy-pack", PROBE_PACK, "--format", "json")
    if result.code != 0:
        return result, {}
    seen = probes(result.json())
    return result, {
        "cluster": seen["cluster"]["props"].get("name"),
        "Logs": seen["Logs"]["props"].get("bucket"),
        "jobs": seen["jobs"]["props"].get("name"),
    }


def test_autonaming_verbatim_and_disabled(tmp_path: Path) -> None:
    _, names = autonames(tmp_path / "a", "    mode: verbatim\n")
    assert names == {"cluster": "cluster", "Logs": "Logs", "jobs": "jobs"}
    _, names = autonames(tmp_path / "b", "    mode: disabled\n")
    assert names == {"cluster": None, "Logs": None, "jobs": None}


def test_autonaming_pattern_and_type_override(tmp_path: Path) -> None:
    _, names = autonames(tmp_path / "a", "    pattern: ${project}-${stack}-${name}-${hex(4)}\n")
    assert names["cluster"].startswith("testprog-dev-cluster-") and len(names["cluster"]) == 25
    assert names["Logs"].startswith("testprog-dev-Logs-")
    config = (
        "    pattern: ${project}-${name}\n"
        "    providers:\n"
        "      aws:\n"
        "        resources:\n"
        "          aws:sqs/queue:Queue:\n"
        "            mode: verbatim\n"
    )
    _, names = autonames(tmp_path / "b", config)
    assert names["jobs"] == "jobs"
    # as the engine resolves it: a provider entry without mode or pattern means default naming
    assert names["cluster"].startswith("cluster-") and len(names["cluster"]) == len("cluster-") + 7


def test_invalid_autonaming_config_is_refused(tmp_path: Path) -> None:
    result, _ = autonames(tmp_path, "    mode: verbatim\n    pattern: x-${name}\n")
    assert result.code == 2
    assert result.stderr.startswith("error: The stack config pulumi:autonaming is invalid")
    assert "both mode and pattern" in result.stderr


def test_autonaming_pattern_reads_stack_config(tmp_path: Path) -> None:
    config = "    pattern: ${config.prefix}-${name}\n  testprog:prefix: acme\n"
    _, names = autonames(tmp_path / "a", config)
    assert names == {"cluster": "acme-cluster", "Logs": "acme-Logs", "jobs": "acme-jobs"}
    result, _ = autonames(tmp_path / "b", "    pattern: ${config.missing}-${name}\n")
    assert result.code == 2 and "${config.missing}" in result.stderr


def test_a_name_prefix_is_named_by_the_provider_not_auto_named(program_dir: Path) -> None:
    write_program(
        program_dir,
        """
        import pulumi_aws as aws

        aws.iam.Role("app", name_prefix="app-", assume_role_policy="{}")
        aws.s3.Bucket("logs", bucket_prefix="logs-")
        """,
    )
    result = gate_cli("--program", program_dir, "--policy-pack", PROBE_PACK, "--format", "json")
    seen = probes(result.json())
    role, bucket = seen["app"]["props"]["name"], seen["logs"]["props"]["bucket"]
    assert role.startswith("app-") and len(role) == len("app-") + 26
    assert bucket.startswith("logs-") and len(bucket) == len("logs-") + 26


def test_custom_timeouts_are_always_sent_as_the_engine_marshals_them(deployed) -> None:
    """`marshalResourceOptions` (sdk/go/common/resource/plugin/analyzer_plugin.go) always sets
    the custom timeouts message, zero when the program set none."""
    calls = [c for c in deployed[1] if c["call"] in ("Analyze", "Remediate")]
    assert calls
    for call in calls:
        assert "customTimeouts" in call["options"], call["urn"]
    assert analyzed(deployed[1])["worker"]["options"]["customTimeouts"] == {}
