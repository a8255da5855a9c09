"""The stack's configuration: every key, its default, and the validation that runs before any
resource is declared.

`__main__.py` is the only place that reads `pulumi.Config`; it hands the raw strings to
`parse_stack_config`, which either returns a typed `StackConfig` or raises `ConfigError`
listing every bad key at once (key, value, what is allowed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Architecture = Literal["arm64", "x86_64"]
EncryptionMode = Literal["AES256", "aws:kms"]

# Powertools for AWS Lambda (Python) v3 public layer version. 27 is the newest version whose
# release could be verified offline (the layer table published with Powertools 3.23); the
# exact layer that ships PyPI 3.37.0 could not be confirmed. Check the current one with
# `aws lambda get-layer-version-by-arn --arn <layer ARN>` and set `powertoolsLayerVersion`.
DEFAULT_POWERTOOLS_LAYER_VERSION = 27
# The Powertools release that layer carries; lambda_code/requirements.txt pins the same one,
# so the tests exercise the library the function runs with.
DEFAULT_POWERTOOLS_RELEASE = "3.23.0"

# CloudWatch Logs accepts only these retention periods (PutRetentionPolicy). "Never expire"
# is deliberately not offered: logs must have a finite retention.
LOG_RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip

# With JSON logs Lambda filters application logs by level and treats lines without a "level"
# field (the EMF metric blobs) as INFO: a WARNING or higher level would drop every metric.
LOG_LEVELS: tuple[str, ...] = ("DEBUG", "INFO")
ARCHITECTURES: tuple[str, ...] = ("arm64", "x86_64")
ENCRYPTION_MODES: tuple[str, ...] = ("AES256", "aws:kms")

# The tags every taggable resource carries; extraTags may add to them, never replace them.
REQUIRED_TAG_KEYS: tuple[str, ...] = ("Project", "Environment", "Owner", "ManagedBy")
MANAGED_BY = "pulumi"
MAX_TAGS_PER_RESOURCE = 50  # the lowest per-resource tag limit among the services used

# Keys in the project namespace, with their defaults (None: optional, no default).
# "owner" has no default and is required.
DEFAULTS: Mapping[str, object] = MappingProxyType(
    {
        "environment": "<stack name>",
        "owner": None,
        "extraTags": {},
        "memorySize": 256,
        "timeout": 30,
        "architecture": "arm64",
        "logRetentionDays": 30,
        "logLevel": "INFO",
        "keyPrefix": None,
        "keySuffix": None,
        "encryption": "AES256",
        "alarmTopicArn": None,
        "powertoolsLayerVersion": DEFAULT_POWERTOOLS_LAYER_VERSION,
        "maxEventAgeSeconds": 3600,
        "noncurrentVersionExpirationDays": 30,
        "forceDestroy": False,
    }
)
PROJECT_KEYS: tuple[str, ...] = tuple(DEFAULTS)

_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
_ENVIRONMENT = re.compile(r"^[a-z](?:[a-z0-9-]*[a-z0-9])?$")
_NAME_PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
# AWS tag syntax (letters, digits, spaces and _ . : / = + - @); \w is Unicode-aware.
_TAG_KEY = re.compile(r"^[\w .:/=+\-@]{1,128}$")
_TAG_VALUE = re.compile(r"^[\w .:/=+\-@]{0,256}$")
_SNS_TOPIC_ARN = re.compile(
    r"^arn:(?P<partition>aws[a-z-]*):sns:(?P<region>[a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$"
)
_INTEGER = re.compile(r"^-?\d+$")
_MAX_S3_FILTER_LENGTH = 1024
_ACCOUNT_ID_LENGTH = 12
_MAX_BUCKET_NAME_LENGTH = 63


class ConfigError(ValueError):
    """Raised when stack config is invalid; lists every problem, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("invalid stack configuration:\n" + "\n".join(f"  - {p}" for p in problems))


@dataclass(frozen=True)
class StackConfig:
    """The validated configuration of one stack."""

    project: str
    region: str
    environment: str
    owner: str
    extra_tags: Mapping[str, str] = field(default_factory=dict)
    memory_size: int = 256
    timeout: int = 30
    architecture: Architecture = "arm64"
    log_retention_days: int = 30
    log_level: str = "INFO"
    key_prefix: str | None = None
    key_suffix: str | None = None
    encryption: EncryptionMode = "AES256"
    alarm_topic_arn: str | None = None
    powertools_layer_version: int = DEFAULT_POWERTOOLS_LAYER_VERSION
    max_event_age_seconds: int = 3600
    noncurrent_version_expiration_days: int = 30
    force_destroy: bool = False

    @property
    def name_prefix(self) -> str:
        """Prefix of every physical name, so two environments can share an account."""
        return f"{self.project}-{self.environment}"

    @property
    def tags(self) -> dict[str, str]:
        """The tags every taggable resource carries in its own `tags` input."""
        return {
            "Project": self.project,
            "Environment": self.environment,
            "Owner": self.owner,
            "ManagedBy": MANAGED_BY,
            **self.extra_tags,
        }


def unknown_keys(configured_keys: list[str], project: str) -> list[str]:
    """Project-namespace keys that this program does not read (usually typos)."""
    prefix = f"{project}:"
    return sorted(
        key
        for key in configured_keys
        if key.startswith(prefix) and key[len(prefix) :] not in PROJECT_KEYS
    )


def parse_stack_config(raw: Mapping[str, object], *, project: str, stack: str) -> StackConfig:
    """Validate raw config strings (project keys plus `aws:region`) into a StackConfig.

    `raw` maps a project key (without namespace) or "aws:region" to its value as the engine
    passes it (a string; objects JSON-encoded), or to None when unset. Raises ConfigError
    naming each bad key, its value and what is allowed.
    """
    problems: list[str] = []
    reader = _Reader(raw, problems)

    region = reader.required("aws:region", "an AWS region such as us-east-1")
    if region is not None and not _REGION.match(region):
        problems.append(f"aws:region: {region!r} is not an AWS region name (e.g. us-east-1)")

    environment = reader.text("environment") or stack
    origin = "" if reader.text("environment") else " (the stack name, as environment is unset)"
    if not _ENVIRONMENT.match(environment):
        problems.append(
            f"environment: {environment!r}{origin} is not allowed; use lowercase letters, digits "
            "and hyphens, starting with a letter and not ending with a hyphen (e.g. dev, prod-eu)"
        )
    if not _NAME_PREFIX.match(project):
        problems.append(
            f"project name {project!r} (Pulumi.yaml) must be lowercase letters, digits and "
            "hyphens: it is part of the S3 bucket name"
        )
    name_prefix = f"{project}-{environment}"
    if region is not None:
        bucket_length = len(name_prefix) + len(region) + _ACCOUNT_ID_LENGTH + 2
        if bucket_length > _MAX_BUCKET_NAME_LENGTH:
            allowed = _MAX_BUCKET_NAME_LENGTH - bucket_length + len(environment)
            problems.append(
                f"environment: {environment!r} is too long; the bucket name "
                f"'{name_prefix}-<account>-{region}' would be {bucket_length} characters "
                f"(S3 allows {_MAX_BUCKET_NAME_LENGTH}); use at most {max(allowed, 0)} characters"
            )

    owner = reader.required("owner", "the team or person accountable, e.g. platform-team")
    if owner is not None:
        _check_tag_value("owner", owner, problems)

    extra_tags = reader.tags("extraTags")
    memory_size = reader.integer("memorySize", 128, 10240, "MB")
    timeout = reader.integer("timeout", 1, 900, "seconds")
    architecture = reader.choice("architecture", ARCHITECTURES)
    log_retention_days = reader.retention("logRetentionDays")
    log_level = reader.choice("logLevel", LOG_LEVELS, normalise=str.upper)
    key_prefix = reader.s3_filter("keyPrefix")
    key_suffix = reader.s3_filter("keySuffix")
    encryption = reader.choice("encryption", ENCRYPTION_MODES)
    alarm_topic_arn = reader.text("alarmTopicArn")
    if alarm_topic_arn is not None:
        match = _SNS_TOPIC_ARN.match(alarm_topic_arn)
        if match is None:
            problems.append(
                f"alarmTopicArn: {alarm_topic_arn!r} is not an SNS topic ARN "
                "(arn:aws:sns:<region>:<account>:<topic>)"
            )
        elif region is not None and match["region"] != region:
            problems.append(
                f"alarmTopicArn: {alarm_topic_arn!r} is in {match['region']}, but CloudWatch "
                f"alarms can only notify a topic in the stack's region ({region})"
            )
    powertools_layer_version = reader.integer("powertoolsLayerVersion", 1, 100_000, "")
    max_event_age = reader.integer("maxEventAgeSeconds", 60, 21600, "seconds")
    noncurrent_days = reader.integer("noncurrentVersionExpirationDays", 1, 36500, "days")
    force_destroy = reader.boolean("forceDestroy")

    if problems or region is None or owner is None:
        raise ConfigError(problems)
    return StackConfig(
        project=project,
        region=region,
        environment=environment,
        owner=owner,
        extra_tags=MappingProxyType(extra_tags),
        memory_size=memory_size,
        timeout=timeout,
        architecture=architecture,  # type: ignore[arg-type]
        log_retention_days=log_retention_days,
        log_level=log_level,
        key_prefix=key_prefix,
        key_suffix=key_suffix,
        encryption=encryption,  # type: ignore[arg-type]
        alarm_topic_arn=alarm_topic_arn,
        powertools_layer_version=powertools_layer_version,
        max_event_age_seconds=max_event_age,
        noncurrent_version_expiration_days=noncurrent_days,
        force_destroy=force_destroy,
    )


def _check_tag_value(key: str, value: str, problems: list[str]) -> None:
    if not value.strip() or not _TAG_VALUE.match(value):
        problems.append(
            f"{key}: {value!r} is not a valid tag value; use 1-256 letters, digits, spaces "
            "and _ . : / = + - @"
        )


def _as_text(value: object) -> str | None:
    """Config as the CLI hands it over: strings, with objects JSON-encoded. Tolerates an
    engine that passes YAML scalars through unconverted."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


class _Reader:
    """Reads one key at a time, records a problem for a bad value and returns its default."""

    def __init__(self, raw: Mapping[str, object], problems: list[str]) -> None:
        self._raw = raw
        self._problems = problems

    def text(self, key: str) -> str | None:
        value = _as_text(self._raw.get(key))
        if value is None or value.strip() == "":
            return None
        return value

    def required(self, key: str, example: str) -> str | None:
        value = self.text(key)
        if value is None:
            setting = key if ":" in key else f"<project>:{key}"
            self._problems.append(
                f"{key}: is required but not set; set it to {example} "
                f"(pulumi config set {setting} <value>)"
            )
        return value

    def integer(self, key: str, low: int, high: int, unit: str) -> int:
        default = int(DEFAULTS[key])  # type: ignore[call-overload]
        value = self.text(key)
        if value is None:
            return default
        suffix = f" {unit}" if unit else ""
        if not _INTEGER.match(value.strip()) or not low <= int(value) <= high:
            self._problems.append(
                f"{key}: {value!r} is not allowed; use a whole number from {low} to {high}{suffix}"
            )
            return default
        return int(value)

    def choice(
        self, key: str, allowed: tuple[str, ...], normalise: Callable[[str], str] = str
    ) -> str:
        default = str(DEFAULTS[key])
        value = self.text(key)
        if value is None:
            return default
        if normalise(value) not in allowed:
            self._problems.append(
                f"{key}: {value!r} is not allowed; use one of {', '.join(allowed)}"
            )
            return default
        return normalise(value)

    def retention(self, key: str) -> int:
        value = self.text(key)
        if value is None:
            return int(DEFAULTS[key])  # type: ignore[call-overload]
        if not _INTEGER.match(value.strip()) or int(value) not in LOG_RETENTION_DAYS:
            self._problems.append(
                f"{key}: {value!r} is not a CloudWatch Logs retention period; use one of "
                f"{', '.join(map(str, LOG_RETENTION_DAYS))} (days; never-expire is not allowed)"
            )
            return int(DEFAULTS[key])  # type: ignore[call-overload]
        return int(value)

    def boolean(self, key: str) -> bool:
        value = self.text(key)
        if value is None:
            return bool(DEFAULTS[key])
        if value.strip().lower() not in ("true", "false"):
            self._problems.append(f"{key}: {value!r} is not allowed; use true or false")
            return bool(DEFAULTS[key])
        return value.strip().lower() == "true"

    def s3_filter(self, key: str) -> str | None:
        value = self.text(key)
        if value is None:
            return None
        if "*" in value or "?" in value:
            self._problems.append(
                f"{key}: {value!r} looks like a glob; S3 notification filters match a literal "
                "prefix/suffix of the object key (e.g. uploads/ or .csv)"
            )
        elif len(value) > _MAX_S3_FILTER_LENGTH:
            self._problems.append(
                f"{key}: is {len(value)} characters; S3 filters allow at most "
                f"{_MAX_S3_FILTER_LENGTH}"
            )
        return value

    def tags(self, key: str) -> dict[str, str]:
        value = self.text(key)
        if value is None:
            return {}
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = None
        if not isinstance(parsed, dict):
            self._problems.append(
                f"{key}: {value!r} is not allowed; use a map of tag keys to string values, "
                'e.g. {"CostCenter": "1234"}'
            )
            return {}
        tags: dict[str, str] = {}
        for tag_key, tag_value in parsed.items():
            if not _TAG_KEY.match(tag_key) or tag_key.lower().startswith("aws:"):
                self._problems.append(
                    f"{key}: tag key {tag_key!r} is not allowed; use 1-128 letters, digits, "
                    "spaces and _ . : / = + - @, not starting with 'aws:'"
                )
            elif tag_key in REQUIRED_TAG_KEYS:
                self._problems.append(
                    f"{key}: tag key {tag_key!r} is set by the program and cannot be "
                    f"overridden; extraTags may only add keys other than "
                    f"{', '.join(REQUIRED_TAG_KEYS)}"
                )
            elif not isinstance(tag_value, str):
                self._problems.append(
                    f"{key}: tag {tag_key!r} has value {tag_value!r}; tag values must be strings"
                )
            elif not _TAG_VALUE.match(tag_value):
                self._problems.append(
                    f"{key}: tag {tag_key!r} value {tag_value!r} is not allowed; use at most "
                    "256 letters, digits, spaces and _ . : / = + - @"
                )
            else:
                tags[tag_key] = tag_value
        if len(REQUIRED_TAG_KEYS) + len(parsed) > MAX_TAGS_PER_RESOURCE:
            self._problems.append(
                f"{key}: {len(parsed)} tags plus the {len(REQUIRED_TAG_KEYS)} required ones "
                f"exceed AWS's limit of {MAX_TAGS_PER_RESOURCE} tags per resource"
            )
        return tags
