"""CloudWatch Logs: log groups keep data for a finite, chosen period."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from .framework import Finding, Meta, Resource
from .values import is_unknown

LOG_GROUP_TYPE = "aws:cloudwatch/logGroup:LogGroup"

LOG_RETENTION = Meta(
    name="cloudwatch-log-retention",
    description="Every CloudWatch log group sets a finite retention period.",
    severity=Severity.LOW,
    remediation="Set retention_in_days (e.g. 30, 90 or 365) on the aws.cloudwatch.LogGroup.",
    url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention",
    level=EnforcementLevel.ADVISORY,
)


def check_log_retention(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    if resource.type != LOG_GROUP_TYPE:
        return
    days = resource.props.get("retentionInDays")
    if is_unknown(days):
        yield Finding(f"{resource.label()} has a retention unknown until apply.", resource, True)
    elif not isinstance(days, (int, float)) or days <= 0:
        yield Finding(
            f"{resource.label()} keeps logs forever (retention_in_days={days!r}); "
            "set a finite retention_in_days.",
            resource,
        )
