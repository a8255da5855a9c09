"""Reports say what was and was not checked, and where the fault is, through the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gate import run

from .conftest import BASIC_PACK, FIXTURES, REPO, gate_cli, write_program

PACK = REPO / "policypack"
SETTINGS_PACK = FIXTURES / "packs" / "settings"
REGION = "config:\n  aws:region: eu-west-1\n"
TAGS = "{'Project': 'p', 'Environment': 'dev', 'Owner': 'me', 'ManagedBy': 'pulumi'}"


def config_file(directory: Path, config: object) -> Path:
    path = directory / "policy-config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def in_days(days: int) -> str:
    return (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=days)).isoformat()


@pytest.fixture(scope="module")
def violating(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = (
        "import pulumi_aws as aws\n"
        "aws.s3.Bucket('logs')\n"
        "aws.s3.Bucket('tagged', tags={'owner': 'x'})\n"
    )
    return write_program(tmp_path_factory.mktemp("truth") / "prog", source, stack_config=REGION)


def test_all_disabled_passes_but_says_nothing_was_checked(violating: Path, tmp_path: Path) -> None:
    config = config_file(tmp_path, {"all": "disabled"})
    args = ("--program", violating, "--policy-pack", BASIC_PACK, "--policy-config", config)
    text = gate_cli(*args)
    assert text.code == 0, text.stderr
    assert (
        "\nDisabled (3; nothing was checked for these): required-tags, bucket-versioning, "
        "lambda-runtime\n" in text.stdout
    )
    assert text.stdout.rstrip().endswith(
        "0 mandatory and 0 advisory violations; 3 policies disabled."
    )
    report = gate_cli(*args, "--format", "json")
    assert report.code == 0
    document = report.json()
    assert document["summary"]["disabled"] == 3
    assert {d["policy"] for d in document["disabled"]} == {
        "required-tags",
        "bucket-versioning",
        "lambda-runtime",
    }


def test_one_disabled_policy_is_counted_in_the_summary(violating: Path, tmp_path: Path) -> None:
    config = config_file(tmp_path, {"bucket-versioning": "disabled"})
    result = gate_cli(
        "--program", violating, "--policy-pack", BASIC_PACK, "--policy-config", config
    )
    assert result.code == 1
    assert "\nDisabled (1; nothing was checked for these): bucket-versioning\n" in result.stdout
    assert result.stdout.rstrip().endswith("violations; 1 policy disabled.")


@pytest.fixture(scope="module")
def log_group(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = f"import pulumi_aws as aws\naws.cloudwatch.LogGroup('forever', tags={TAGS})\n"
    return write_program(tmp_path_factory.mktemp("exempt") / "prog", source, stack_config=REGION)


def test_exempted_findings_are_listed_as_such(log_group: Path, tmp_path: Path) -> None:
    reason = "Audit logs are kept forever by law (LEG-1)"
    exemption = {
        "policy": "cloudwatch-log-retention",
        "resource": "forever",
        "reason": reason,
        "expires": in_days(30),
    }
    config = config_file(tmp_path, {"pack-settings": {"exemptions": [exemption]}})
    args = ("--program", log_group, "--policy-pack", PACK, "--policy-config", config)
    text = gate_cli(*args)
    assert text.code == 0, text.stdout + text.stderr
    urn = "urn:pulumi:dev::testprog::aws:cloudwatch/logGroup:LogGroup::forever"
    assert "\nExempted (1; found, then waived by the pack config):\n" in text.stdout
    assert f"    - cloudwatch-log-retention on {urn}: exempted by pack-settings" in text.stdout
    assert text.stdout.rstrip().endswith("1 finding exempted.")
    document = gate_cli(*args, "--format", "json").json()
    (exempted,) = document["exempted"]
    assert (exempted["policy"], exempted["urn"]) == ("cloudwatch-log-retention", urn)
    assert reason in exempted["reason"]
    assert document["summary"]["exempted"] == 1
    assert not any("exempted" in n["reason"] for n in document["notApplicable"])


def test_without_the_exemption_the_finding_is_a_violation(log_group: Path) -> None:
    result = gate_cli("--program", log_group, "--policy-pack", PACK, "--format", "json")
    assert [v["policy"] for v in result.json()["violations"]] == ["cloudwatch-log-retention"]
    assert result.json()["summary"]["exempted"] == 0


@pytest.mark.parametrize(
    ("config", "fragment"),
    [
        ({"pack-settings": {"onUnknwn": "mandatory"}}, "unknown option 'onUnknwn'; allowed"),
        (
            {"pack-settings": {"exemptions": [{"policy": "cloudwatch-log-retention"}]}},
            "(pack-settings reports): exemption #1 is missing resource, reason, expires.",
        ),
        (
            {
                "pack-settings": {
                    "exemptions": [
                        {
                            "policy": "cloudwatch-log-retention",
                            "resource": "forever",
                            "reason": "Audit logs are kept forever by law",
                            "expires": in_days(-1),
                        }
                    ]
                }
            },
            f"expired on {in_days(-1)}",
        ),
        ({"cloudwatch-log-retention": {"minimumDays": 7}}, "unknown option 'minimumDays'"),
        ({"no-such-policy": "advisory"}, "'no-such-policy', which policy pack"),
    ],
)
def test_invalid_pack_config_is_exit_2_like_an_unknown_policy(
    log_group: Path, tmp_path: Path, config: dict, fragment: str
) -> None:
    result = gate_cli(
        "--program",
        log_group,
        "--policy-pack",
        PACK,
        "--policy-config",
        config_file(tmp_path, config),
    )
    assert result.code == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith("error: The policy config ")
    assert "'serverless-s3-lambda-guard'" in result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr


def test_json_and_python_violations_carry_file_and_line(violating: Path) -> None:
    report = run(violating, "dev", BASIC_PACK)
    by_name = {
        v.urn.rsplit("::", 1)[-1]: v for v in report.violations if v.policy == "required-tags"
    }
    assert (by_name["logs"].file, by_name["logs"].line) == ("__main__.py", 2)
    document = gate_cli(
        "--program", violating, "--policy-pack", BASIC_PACK, "--format", "json"
    ).json()
    located = {
        (v["policy"], v["urn"].rsplit("::", 1)[-1]): (v["file"], v["line"])
        for v in document["violations"]
    }
    assert located[("bucket-versioning", "tagged")] == ("__main__.py", 3)


SETTING_SOURCE = """
import pulumi_aws as aws

bucket = aws.s3.Bucket("data")


versioning = aws.s3.BucketVersioning(
    "data-versioning",
    bucket=bucket.id,
    versioning_configuration={"status": "Suspended"},
)
"""


def test_a_setting_at_fault_is_located_on_the_setting_with_its_bucket_related(
    tmp_path: Path,
) -> None:
    program = write_program(tmp_path / "prog", SETTING_SOURCE, stack_config=REGION)
    args = ("--program", program, "--policy-pack", SETTINGS_PACK)
    sarif = json.loads(gate_cli(*args, "--format", "sarif", cwd=program).stdout)
    (result,) = sarif["runs"][0]["results"]
    # the rule carries the description; the result only the finding
    assert result["message"]["text"] == (
        "BucketVersioning 'data-versioning' is Suspended; set it to Enabled."
    )
    physical = result["locations"][0]["physicalLocation"]
    assert (physical["artifactLocation"]["uri"], physical["region"]["startLine"]) == (
        "__main__.py",
        7,
    )
    (related,) = result["relatedLocations"]
    assert related["physicalLocation"]["region"]["startLine"] == 4
    assert related["message"]["text"] == "Bucket 'data' (referenced by `bucket`)"
    assert related["logicalLocations"][0]["fullyQualifiedName"].endswith("Bucket::data")
    document = gate_cli(*args, "--format", "json").json()
    (violation,) = document["violations"]
    assert (violation["file"], violation["line"]) == ("__main__.py", 7)
    assert [(r["file"], r["line"]) for r in violation["related"]] == [("__main__.py", 4)]
    text = gate_cli(*args).stdout
    assert "BucketVersioning::data-versioning  (__main__.py:7)\n" in text
    assert "              see: Bucket 'data' (referenced by `bucket`) (__main__.py:4)\n" in text


def test_a_stack_violation_is_located_on_the_project_without_a_line(tmp_path: Path) -> None:
    program = write_program(tmp_path / "prog", "import pulumi\n", stack_config=REGION)
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\nversion: 0.0.1\n")
    (pack / "__main__.py").write_text(
        "from pulumi_policy import PolicyPack, StackValidationPolicy, EnforcementLevel\n"
        "def whole(args, report):\n"
        "    report('The stack has no alarms.')\n"
        "PolicyPack('stackwide', [StackValidationPolicy('alarms', 'Alarms exist.', whole)],\n"
        "           enforcement_level=EnforcementLevel.MANDATORY)\n"
    )
    document = gate_cli("--program", program, "--policy-pack", pack, "--format", "json").json()
    (violation,) = document["violations"]
    # Shown on the root stack, as the engine shows a stack violation without a URN.
    assert violation["urn"] == "urn:pulumi:dev::testprog::pulumi:pulumi:Stack::testprog-dev"
    assert (violation["file"], violation["line"]) == ("Pulumi.yaml", None)
    assert violation["message"] == "The stack has no alarms."


def test_a_stack_without_a_stack_file_says_so_first(violating: Path) -> None:
    result = gate_cli("--program", violating, "--policy-pack", BASIC_PACK, "--stack", "prod")
    assert result.stdout.startswith("⚠️  No stack file Pulumi.prod.yaml for stack 'prod' in ")
    assert "Check --stack if you meant an existing stack." in result.stdout.split("\n", 1)[0]
    assert "No stack file" not in result.stdout.split("Policies:", 1)[1]
    document = gate_cli(
        "--program", violating, "--policy-pack", BASIC_PACK, "--stack", "prod", "--format", "json"
    ).json()
    assert document["warnings"][0].startswith("No stack file Pulumi.prod.yaml")
    assert not any("No stack file" in note for note in document["notes"])
    sarif = json.loads(
        gate_cli(
            "--program", violating, "--policy-pack", BASIC_PACK, "--stack", "prod",
            "--format", "sarif",
        ).stdout
    )  # fmt: skip
    assert sarif["runs"][0]["properties"]["warnings"][0].startswith("No stack file")
    assert gate_cli("--program", violating, "--policy-pack", BASIC_PACK).stdout.startswith(
        "Policies:"
    )


def test_each_description_is_shown_once_per_policy(violating: Path) -> None:
    text = gate_cli("--program", violating, "--policy-pack", BASIC_PACK).stdout
    assert text.count("Every bucket has versioning enabled.") == 1  # two violations, one line
    (line,) = [row for row in text.splitlines() if row.startswith("Not applicable")]
    assert line == (
        "Not applicable: 4 (policy, resource) pairs (lambda-runtime 4); --format json lists each."
    )
    document = gate_cli(
        "--program", violating, "--policy-pack", BASIC_PACK, "--format", "json"
    ).json()
    versioning = [v for v in document["violations"] if v["policy"] == "bucket-versioning"]
    assert len(versioning) == 2
    assert not any("Every bucket has versioning enabled." in v["message"] for v in versioning)


DOCUMENT_SOURCE = f"""
import pulumi_aws as aws

role = aws.iam.Role(
    "fn-role",
    assume_role_policy=aws.iam.get_policy_document(statements=[{{
        "actions": ["sts:AssumeRole"],
        "principals": [{{"type": "Service", "identifiers": ["lambda.amazonaws.com"]}}],
    }}]).json,
    tags={TAGS},
)
reader = aws.iam.get_policy_document(
    statements=[{{"actions": ["s3:GetObject"], "resources": ["*"]}}]
)
aws.iam.RolePolicy("read", role=role.id, policy=reader.json)
writer = aws.iam.get_policy_document_output(
    statements=[{{"actions": ["s3:*"], "resources": ["arn:aws:s3:::b/*"]}}]
)
aws.iam.RolePolicy("write", role=role.id, policy=writer.json)
aws.iam.Policy("tagless", policy=reader.json)
"""


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict:
    program = write_program(
        tmp_path_factory.mktemp("documents") / "prog", DOCUMENT_SOURCE, stack_config=REGION
    )
    result = gate_cli("--program", program, "--policy-pack", PACK, "--format", "json")
    assert result.code == 1, result.stderr
    return {(v["policy"], v["urn"].rsplit("::", 1)[-1]): v for v in result.json()["violations"]}


def test_a_statement_in_a_document_built_elsewhere_points_at_the_document(documents) -> None:
    scoped = documents[("iam-scoped-resources", "read")]
    assert (scoped["file"], scoped["line"]) == ("__main__.py", 12)  # get_policy_document(...)
    user, role = scoped["related"]
    assert (user["line"], user["label"]) == (15, "RolePolicy 'read' (uses it as `policy`)")
    assert (role["line"], role["label"]) == (4, "Role 'fn-role' (referenced by `role`)")


def test_the_output_form_of_the_function_is_traced_too(documents) -> None:
    wildcard = documents[("iam-no-wildcard-actions", "write")]
    assert (wildcard["file"], wildcard["line"]) == ("__main__.py", 16)
    assert wildcard["related"][0]["line"] == 19


def test_a_finding_not_about_the_document_stays_on_the_resource(documents) -> None:
    tags = documents[("required-tags", "tagless")]
    assert (tags["file"], tags["line"]) == ("__main__.py", 20)
    assert [r["label"] for r in tags["related"]] == [
        "the `policy` document, built by getPolicyDocument"
    ]
    assert tags["related"][0]["line"] == 12


TRUST_SOURCE = f"""
import json

import pulumi_aws as aws

open_trust = aws.iam.get_policy_document(statements=[{{
    "actions": ["sts:AssumeRole"],
    "principals": [{{"type": "AWS", "identifiers": ["*"]}}],
}}])
aws.iam.Role("only-trust", assume_role_policy=open_trust.json, tags={TAGS})
aws.iam.Role(
    "two-documents",
    assume_role_policy=open_trust.json,
    inline_policies=[{{"name": "read", "policy": json.dumps({{
        "Version": "2012-10-17",
        "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}],
    }})}}],
    tags={TAGS},
)
"""


def test_a_document_is_the_location_only_when_the_finding_can_be_tied_to_it(
    tmp_path: Path,
) -> None:
    program = write_program(tmp_path / "prog", TRUST_SOURCE, stack_config=REGION)
    result = gate_cli("--program", program, "--policy-pack", PACK, "--format", "json")
    assert result.code == 1, result.stderr
    found: dict[str, list[dict]] = {}
    for violation in result.json()["violations"]:
        found.setdefault(violation["urn"].rsplit("::", 1)[-1], []).append(violation)
    # The role's only document, built by the function, and a finding about its statement.
    trust = [v for v in found["only-trust"] if "trust policy" in v["message"]]
    assert trust and all(v["line"] == 6 for v in trust)
    assert all(v["related"][0]["label"].startswith("Role 'only-trust'") for v in trust)
    # Two documents (one literal): a finding cannot be tied to the built one by its text.
    assert found["two-documents"]
    for violation in found["two-documents"]:
        assert violation["line"] == 11
        assert violation["related"][-1]["line"] == 6
        assert violation["related"][-1]["label"].endswith("built by getPolicyDocument")
