"""Tags on every taggable resource; physical names that keep environments apart."""

from __future__ import annotations

import importlib

from tests.unit.harness import ACCOUNT, BASE_CONFIG, REGION, Program, run_program

REQUIRED_TAGS = {
    "Project": "serverless-s3-lambda",
    "Environment": "dev",
    "Owner": "platform-team",
    "ManagedBy": "pulumi",
}


def is_taggable(type_token: str) -> bool:
    """Whether the pulumi-aws resource type has a `tags` input (asked of the SDK itself)."""
    package, module_and_kind, class_name = type_token.split(":")
    module = module_and_kind.split("/")[0]
    if package != "aws":
        return False
    python_module = {"lambda": "lambda_"}.get(module, module)
    resource_class = getattr(importlib.import_module(f"pulumi_aws.{python_module}"), class_name)
    return "tags" in resource_class._internal_init.__code__.co_varnames


def taggable(program: Program) -> list:
    return [r for r in program.resources if is_taggable(r.type)]


def test_the_taggable_set_is_what_we_expect(kms_program: Program) -> None:
    # Guards the tag test below against passing vacuously.
    assert {r.type for r in taggable(kms_program)} == {
        "aws:s3/bucket:Bucket",
        "aws:kms/key:Key",
        "aws:iam/role:Role",
        "aws:sqs/queue:Queue",
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:lambda/function:Function",
        "aws:cloudwatch/metricAlarm:MetricAlarm",
    }
    assert len(taggable(kms_program)) == 9  # three alarms


def test_every_taggable_resource_carries_the_required_tags(default_program: Program) -> None:
    for resource in taggable(default_program):
        assert resource.inputs.get("tags") == REQUIRED_TAGS, resource.name


def test_extra_tags_are_added_everywhere(kms_program: Program) -> None:
    expected = {
        **REQUIRED_TAGS,
        "Environment": "staging",
        "CostCenter": "1234",
        "Data Class": "internal",
    }
    for resource in taggable(kms_program):
        assert resource.inputs.get("tags") == expected, resource.name


def physical_names(program: Program) -> set[str]:
    names = set()
    for resource in program.resources:
        if resource.type.startswith("aws:"):
            for key in ("bucket", "name"):
                value = resource.inputs.get(key)
                if isinstance(value, str) and key in resource.inputs:
                    names.add(value)
    return names


def test_physical_names_include_the_environment(kms_program: Program) -> None:
    # Inline policy names are scoped to their role.
    names = physical_names(kms_program) - {"least-privilege", "decrypt-bucket-key"}
    assert len(names) >= 8
    for name in names:
        assert "serverless-s3-lambda-staging" in name, name


def test_two_environments_share_no_physical_name(default_program: Program) -> None:
    prod = run_program({**BASE_CONFIG, "environment": "prod"})
    shared = physical_names(default_program) & physical_names(prod)
    assert shared <= {"least-privilege"}


def test_environment_defaults_to_the_stack_name() -> None:
    program = run_program(BASE_CONFIG, stack="qa")
    bucket = program.one("aws:s3/bucket:Bucket")
    assert bucket.inputs["bucket"] == f"serverless-s3-lambda-qa-{ACCOUNT}-{REGION}"
    assert bucket.inputs["tags"]["Environment"] == "qa"


def test_every_resource_belongs_to_a_component(default_program: Program) -> None:
    components = {
        r.urn: r.type for r in default_program.resources if r.type.startswith("serverless-")
    }
    assert set(components.values()) == {
        "serverless-s3-lambda:storage:SecureBucket",
        "serverless-s3-lambda:compute:ObjectProcessor",
        "serverless-s3-lambda:trigger:ObjectCreatedTrigger",
    }
    for resource in default_program.resources:
        if resource.type.startswith("aws:"):
            assert resource.parent in components, resource.name
