"""Config: defaults, normalisation, and refusal of every bad value before any resource."""

from __future__ import annotations

import pytest
import yaml

from infra.config import (
    DEFAULT_POWERTOOLS_LAYER_VERSION,
    DEFAULTS,
    LOG_RETENTION_DAYS,
    PROJECT_KEYS,
    ConfigError,
    parse_stack_config,
    unknown_keys,
)
from tests.unit.harness import (
    ACCOUNT,
    BASE_CONFIG,
    REGION,
    ROOT,
    refuse_program,
    run_program,
)

PROJECT = "serverless-s3-lambda"


def parse(**raw: object):
    return parse_stack_config(
        {"aws:region": REGION, "owner": "platform-team", **raw}, project=PROJECT, stack="dev"
    )


def test_defaults() -> None:
    config = parse()
    assert config.environment == "dev"
    assert config.extra_tags == {}
    assert (config.memory_size, config.timeout, config.architecture) == (256, 30, "arm64")
    assert (config.log_retention_days, config.log_level) == (30, "INFO")
    assert (config.key_prefix, config.key_suffix, config.alarm_topic_arn) == (None, None, None)
    assert config.encryption == "AES256"
    assert config.powertools_layer_version == DEFAULT_POWERTOOLS_LAYER_VERSION
    assert config.max_event_age_seconds == 3600
    assert config.noncurrent_version_expiration_days == 30
    assert config.force_destroy is False


def test_empty_strings_mean_unset() -> None:
    # Pulumi.yaml declares "" as the default of the optional string keys.
    config = parse(keyPrefix="", keySuffix="", alarmTopicArn="", environment="")
    assert (config.key_prefix, config.key_suffix, config.alarm_topic_arn) == (None, None, None)
    assert config.environment == "dev"


def test_values_as_the_cli_passes_them() -> None:
    config = parse(
        memorySize="1024",
        forceDestroy="true",
        logLevel="debug",
        extraTags='{"CostCenter": "1234"}',
        encryption="aws:kms",
    )
    assert config.memory_size == 1024
    assert config.force_destroy is True
    assert config.log_level == "DEBUG"
    assert dict(config.extra_tags) == {"CostCenter": "1234"}
    assert config.encryption == "aws:kms"


def test_every_retention_cloudwatch_allows_is_accepted() -> None:
    for days in LOG_RETENTION_DAYS:
        assert parse(logRetentionDays=str(days)).log_retention_days == days


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(ConfigError) as error:
        parse(memorySize="-1", encryption="none", logRetentionDays="10")
    assert len(error.value.problems) == 3


def test_unknown_keys_are_found_in_the_project_namespace_only() -> None:
    keys = [f"{PROJECT}:memory", f"{PROJECT}:owner", "aws:region", "aws:profile"]
    assert unknown_keys(keys, PROJECT) == [f"{PROJECT}:memory"]


# (config overrides, text the error must contain: the key, the value, what is allowed)
BAD_CONFIG = [
    ({"encryption": "aws:kms:dsse"}, ["encryption", "'aws:kms:dsse'", "AES256, aws:kms"]),
    ({"encryption": "none"}, ["encryption", "'none'", "AES256, aws:kms"]),
    ({"logRetentionDays": "10"}, ["logRetentionDays", "'10'", "1, 3, 5, 7, 14, 30"]),
    ({"logRetentionDays": "0"}, ["logRetentionDays", "'0'", "never-expire is not allowed"]),
    ({"memorySize": "-128"}, ["memorySize", "'-128'", "from 128 to 10240"]),
    ({"memorySize": "lots"}, ["memorySize", "'lots'", "from 128 to 10240"]),
    ({"timeout": "901"}, ["timeout", "'901'", "from 1 to 900"]),
    ({"architecture": "arm"}, ["architecture", "'arm'", "arm64, x86_64"]),
    ({"logLevel": "verbose"}, ["logLevel", "'verbose'", "DEBUG, INFO"]),
    # Lambda would file the level-less EMF lines under INFO and drop every metric.
    ({"logLevel": "WARNING"}, ["logLevel", "'WARNING'", "DEBUG, INFO"]),
    ({"extraTags": {"bad key!": "x"}}, ["extraTags", "'bad key!'", "1-128 letters"]),
    ({"extraTags": {"aws:cloudformation": "x"}}, ["extraTags", "'aws:cloudformation'", "aws:"]),
    ({"extraTags": {"Owner": "someone-else"}}, ["extraTags", "'Owner'", "cannot be overridden"]),
    ({"extraTags": {"Tier": 3}}, ["extraTags", "'Tier'", "must be strings"]),
    ({"extraTags": "CostCenter=1234"}, ["extraTags", "'CostCenter=1234'", "map of tag keys"]),
    (
        {"extraTags": {f"k{i}": "v" for i in range(47)}},
        ["extraTags", "47 tags", "limit of 50"],
    ),
    (
        {"alarmTopicArn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:alerts"},
        ["alarmTopicArn", "arn:aws:sqs", "SNS topic ARN"],
    ),
    (
        {"alarmTopicArn": f"arn:aws:sns:us-west-2:{ACCOUNT}:alerts"},
        ["alarmTopicArn", "us-west-2", f"stack's region ({REGION})"],
    ),
    ({"environment": "Dev_1"}, ["environment", "'Dev_1'", "lowercase letters, digits"]),
    ({"environment": "a-very-long-environment"}, ["environment", "too long", "at most"]),
    ({"keyPrefix": "uploads/*"}, ["keyPrefix", "'uploads/*'", "literal prefix"]),
    ({"keySuffix": "x" * 1025}, ["keySuffix", "1025 characters", "at most 1024"]),
    ({"forceDestroy": "yes"}, ["forceDestroy", "'yes'", "true or false"]),
    ({"powertoolsLayerVersion": "0"}, ["powertoolsLayerVersion", "'0'", "from 1"]),
    ({"maxEventAgeSeconds": "30"}, ["maxEventAgeSeconds", "'30'", "from 60 to 21600"]),
    ({"noncurrentVersionExpirationDays": "0"}, ["noncurrentVersionExpirationDays", "'0'", "1"]),
    ({"owner": None}, ["owner", "required"]),
    ({"owner": "ops;drop"}, ["owner", "'ops;drop'", "tag value"]),
    ({"aws:region": None}, ["aws:region", "required", "us-east-1"]),
    ({"aws:region": "mars-1"}, ["aws:region", "'mars-1'", "AWS region"]),
    ({"memory": "512"}, [f"{PROJECT}:memory", "unknown config key", "memorySize"]),
]


@pytest.mark.parametrize(
    ("overrides", "expected"), BAD_CONFIG, ids=[str(case[0])[:60] for case in BAD_CONFIG]
)
def test_bad_config_stops_the_program_before_any_resource(
    overrides: dict[str, object], expected: list[str]
) -> None:
    config = {
        key: value for key, value in {**BASE_CONFIG, **overrides}.items() if value is not None
    }
    refusal = refuse_program(config)
    for text in expected:
        assert text in refusal.message, (text, refusal.message)
    assert refusal.resources == []
    assert refusal.invokes == []


def test_every_key_is_documented_in_pulumi_yaml_and_the_stack_docs() -> None:

    project_file = (ROOT / "Pulumi.yaml").read_text(encoding="utf-8")
    readme = (ROOT / "docs" / "stack.md").read_text(encoding="utf-8")
    for key in PROJECT_KEYS:
        assert f"  {key}" in project_file, key
        assert f"`{key}`" in readme, key


def test_config_passed_the_cli_way_is_read_and_checked() -> None:
    """The language host passes config in PULUMI_CONFIG; typos are caught there too."""
    program = run_program({**BASE_CONFIG, "memorySize": 1024}, via_environment=True)
    assert program.one("aws:lambda/function:Function").inputs["memorySize"] == 1024
    refusal = refuse_program({**BASE_CONFIG, "memroySize": "1024"}, via_environment=True)
    assert f"{PROJECT}:memroySize: unknown config key" in refusal.message
    assert refusal.resources == []


def test_a_stack_name_that_cannot_be_an_environment_is_explained() -> None:
    refusal = refuse_program(BASE_CONFIG, stack="Prod_EU")
    assert "environment: 'Prod_EU' (the stack name, as environment is unset)" in refusal.message


def test_a_partition_without_the_powertools_layer_is_refused_before_any_resource() -> None:
    refusal = refuse_program({**BASE_CONFIG, "aws:region": "cn-north-1"}, partition="aws-cn")
    assert "'aws-cn'" in refusal.message
    assert "017000801446" in refusal.message
    assert refusal.resources == []


@pytest.mark.parametrize(
    ("key", "lowest", "highest"),
    [
        ("memorySize", 128, 10240),
        ("timeout", 1, 900),
        ("maxEventAgeSeconds", 60, 21600),
        ("noncurrentVersionExpirationDays", 1, 36500),
    ],
)
def test_numeric_ranges_are_inclusive_and_exact(key: str, lowest: int, highest: int) -> None:
    parse(**{key: str(lowest)})
    parse(**{key: str(highest)})
    for outside in (lowest - 1, highest + 1):
        with pytest.raises(ConfigError, match=f"{key}: '{outside}'"):
            parse(**{key: str(outside)})


def test_the_longest_environment_that_fits_the_bucket_name_is_accepted() -> None:
    # <project>-<environment>-<account>-<region> must fit S3's 63 characters.
    room = 63 - len(f"{PROJECT}--{ACCOUNT}-{REGION}")
    assert parse(environment="e" * room).environment == "e" * room
    with pytest.raises(ConfigError, match=f"use at most {room} characters"):
        parse(environment="e" * (room + 1))


def test_pulumi_yaml_declares_the_programs_own_defaults() -> None:
    declared = yaml.safe_load((ROOT / "Pulumi.yaml").read_text(encoding="utf-8"))["config"]
    for key, declaration in declared.items():
        assert key in PROJECT_KEYS, key
        if "default" in declaration:
            expected = DEFAULTS[key] if DEFAULTS[key] is not None else ""
            assert declaration["default"] == expected, key
    # Keys without a declared default are required by the CLI: only `owner` may be.
    assert [k for k, d in declared.items() if "default" not in d] == ["owner"]


def test_only_the_entry_point_reads_pulumi_config() -> None:
    """Components get typed values; config is read (and validated) in one place."""
    for module in sorted((ROOT / "infra").glob("*.py")):
        assert "pulumi.Config(" not in module.read_text(encoding="utf-8"), module.name
    assert "pulumi.Config(" in (ROOT / "__main__.py").read_text(encoding="utf-8")
