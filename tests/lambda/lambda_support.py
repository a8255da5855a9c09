"""Helpers shared by the handler tests: S3-shaped events, a Lambda context, output capture.

``conftest.py`` puts this directory on ``sys.path`` (``tests/lambda`` cannot be a package).
"""

from __future__ import annotations

import contextlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from urllib.parse import quote_plus

REGION = "eu-west-1"
BUCKET = "processor-test-bucket"
SERVICE = "s3-object-processor"
NAMESPACE = "ServerlessS3Lambda"
FUNCTION_NAME = "s3-object-processor-dev"

LAMBDA_ENV = {
    "POWERTOOLS_SERVICE_NAME": SERVICE,
    "POWERTOOLS_METRICS_NAMESPACE": NAMESPACE,
    "POWERTOOLS_LOG_LEVEL": "INFO",
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


def encode_key(key: str) -> str:
    """Encode a key the way S3 writes it into notifications (form encoding, '/' kept)."""
    return quote_plus(key, safe="/")


def s3_record(
    key: str,
    *,
    bucket: str = BUCKET,
    event_name: str = "ObjectCreated:Put",
    version_id: str | None = None,
    size: int = 0,
    etag: str = "0123456789abcdef0123456789abcdef",
    sequencer: str = "0A1B2C3D4E5F678901",
) -> dict[str, Any]:
    """One record laid out field for field like AWS's documented notification (v2.1)."""
    obj: dict[str, Any] = {
        "key": encode_key(key),
        "size": size,
        "eTag": etag,
        "sequencer": sequencer,
    }
    if version_id is not None:
        obj["versionId"] = version_id
    return {
        "eventVersion": "2.1",
        "eventSource": "aws:s3",
        "awsRegion": REGION,
        "eventTime": "2026-11-26T12:00:00.000Z",
        "eventName": event_name,
        "userIdentity": {"principalId": "AWS:AIDAEXAMPLEPRINCIPAL"},
        "requestParameters": {"sourceIPAddress": "203.0.113.10"},
        "responseElements": {
            "x-amz-request-id": "C3D13FE58DE4C810",
            "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD",
        },
        "s3": {
            "s3SchemaVersion": "1.0",
            "configurationId": "object-created",
            "bucket": {
                "name": bucket,
                "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                "arn": f"arn:aws:s3:::{bucket}",
            },
            "object": obj,
        },
    }


def s3_event(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}


def s3_test_event(bucket: str = BUCKET) -> dict[str, Any]:
    """The message S3 sends once when a notification configuration is saved."""
    return {
        "Service": "Amazon S3",
        "Event": "s3:TestEvent",
        "Time": "2026-11-26T12:00:00.000Z",
        "Bucket": bucket,
        "RequestId": "5582815E1AEA5ADF",
        "HostId": "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE",
    }


@dataclass
class FakeContext:
    """The attributes of Lambda's context object that Powertools reads."""

    function_name: str = FUNCTION_NAME
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = f"arn:aws:lambda:{REGION}:123456789012:function:{FUNCTION_NAME}"
    aws_request_id: str = "52fdfc07-2182-154f-163f-5f0f9a621d72"
    function_version: str = "$LATEST"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@dataclass
class Output:
    """Everything the function printed during one capture, one JSON document a line."""

    buffer: io.StringIO = field(default_factory=io.StringIO)

    @property
    def lines(self) -> list[dict[str, Any]]:
        # One JSON document per "\n"-terminated line, as CloudWatch Logs splits them (str.splitlines
        # would also split inside values at U+2028 and friends); json.loads fails on anything else.
        return [json.loads(line) for line in self.buffer.getvalue().split("\n") if line]

    @property
    def logs(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if "_aws" not in line]

    @property
    def emf(self) -> list[dict[str, Any]]:
        return [line for line in self.lines if "_aws" in line]

    def messages(self, level: str | None = None) -> list[str]:
        return [log["message"] for log in self.logs if level in (None, log["level"])]

    def log(self, message: str) -> list[dict[str, Any]]:
        return [log for log in self.logs if log["message"] == message]

    def metric_blob(self) -> dict[str, Any]:
        """The invocation's application-metrics blob (the cold-start blob is separate)."""
        blobs = [blob for blob in self.emf if "ObjectsProcessed" in blob]
        assert len(blobs) == 1, f"expected one application EMF blob, got {self.emf}"
        return blobs[0]

    def cold_start_blobs(self) -> list[dict[str, Any]]:
        return [blob for blob in self.emf if "ColdStart" in blob]


@contextlib.contextmanager
def capture(handler: ModuleType) -> Iterator[Output]:
    """Capture Powertools' log stream (bound to stdout at import) and printed EMF blobs."""
    output = Output()
    stream_handler = handler.logger.registered_handler
    previous = stream_handler.setStream(output.buffer)
    try:
        with contextlib.redirect_stdout(output.buffer):
            yield output
    finally:
        if previous is not None:
            stream_handler.setStream(previous)


def metric_values(blob: dict[str, Any]) -> dict[str, float]:
    """Metric name -> value from an EMF blob, after checking its declared namespace/units."""
    (directive,) = blob["_aws"]["CloudWatchMetrics"]
    assert directive["Namespace"] == NAMESPACE
    values = {}
    for metric in directive["Metrics"]:
        value = blob[metric["Name"]]  # EMF allows a scalar or an array of samples
        samples = value if isinstance(value, list) else [value]
        assert len(samples) == 1, f"{metric['Name']} was recorded {len(samples)} times"
        values[metric["Name"]] = samples[0]
    return values


def contains_value(document: Any, needle: Any) -> bool:
    """Whether ``needle`` appears anywhere inside ``document`` as a value."""
    if document == needle and type(document) is type(needle):
        return True
    if isinstance(document, dict):
        return any(contains_value(value, needle) for value in document.values())
    if isinstance(document, list):
        return any(contains_value(value, needle) for value in document)
    return False
