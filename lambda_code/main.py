"""S3 object-created processor: reads each new object's metadata and logs it, losing no event.

Lambda runs this file as ``main.lambda_handler`` with ``lambda_code/`` as the code root; tests
import it as ``lambda_code.main``. It is one module on purpose, so both layouts work without
import tricks. Powertools for AWS Lambda comes from the public layer at run time.

Failure model (S3 invokes Lambda asynchronously: two retries, then the dead-letter queue):

* a malformed event raises ``ValueError`` naming what is missing;
* a record that is not ``ObjectCreated:*`` (removal, restore, replication, lifecycle,
  Intelligent-Tiering, tagging, ACL, ...) is skipped and counted whatever else it carries: only
  its ``eventName`` is read, since those records differ in shape (an Intelligent-Tiering record
  names its object ``s3.get_object``, not ``s3.object``);
* an object that no longer exists is skipped with a warning (nothing left to process);
* any other failure is recorded, the remaining records are still handled, and the invocation
  then raises one ``ObjectProcessingError`` naming every failed object, so Lambda retries the
  event and finally delivers it to the dead-letter queue.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypedDict
from urllib.parse import unquote_plus

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from botocore.client import BaseClient

# Service name, namespace and level come from POWERTOOLS_SERVICE_NAME,
# POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_LOG_LEVEL / LOG_LEVEL, set by the stack.
logger = Logger()
metrics = Metrics()

TEST_EVENT: Final = "s3:TestEvent"
OBJECT_CREATED_PREFIX: Final = "ObjectCreated:"
# HeadObject answers a missing bucket, key or version alike with a bare 404 (HEAD has no body).
HEAD_NOT_FOUND: Final = frozenset({"404", "NotFound", "NoSuchKey", "NoSuchVersion"})
# The codes that mean "the object (version) is gone", as GetObject reports them.
OBJECT_GONE: Final = frozenset({"NoSuchKey", "NoSuchVersion"})

# Fail fast enough to stay inside the function timeout, and let botocore's standard retry mode
# absorb throttling (SlowDown, 503) before a record counts as failed.
S3_CONFIG: Final = Config(
    connect_timeout=3,
    read_timeout=5,
    retries={"mode": "standard", "max_attempts": 3},
)


class Summary(TypedDict):
    """What a direct invocation gets back; failures raise instead of being reported here."""

    processed: int
    skipped: int
    failed: int


@dataclass(frozen=True, slots=True)
class ObjectRef:
    """One validated notification record: the object it names and how it got there."""

    index: int
    event_name: str
    event_time: str | None
    bucket: str
    key: str
    version_id: str | None
    sequencer: str | None

    def log_fields(self) -> dict[str, Any]:
        return {
            "record": self.index,
            "event_name": self.event_name,
            "event_time": self.event_time,
            "bucket": self.bucket,
            "key": self.key,
            "version_id": self.version_id,
            "sequencer": self.sequencer,
        }

    def describe(self) -> str:
        version = f" (version {self.version_id})" if self.version_id else ""
        return f"s3://{self.bucket}/{self.key!r}{version}"


@dataclass(frozen=True, slots=True)
class OtherRecord:
    """A record that announces something other than a new object; skipped, never read further."""

    index: int
    event_name: str
    event_time: str | None

    def log_fields(self) -> dict[str, Any]:
        return {"record": self.index, "event_name": self.event_name, "event_time": self.event_time}


@dataclass(frozen=True, slots=True)
class FailedObject:
    """An object whose processing failed; named in the error that sends the event to the DLQ."""

    ref: ObjectRef
    error_code: str
    error_message: str


class ObjectProcessingError(RuntimeError):
    """Raised after every record was handled when at least one object failed."""

    def __init__(self, failures: list[FailedObject], total: int) -> None:
        self.failures = failures
        details = "; ".join(f"{f.ref.describe()}: {f.error_code}" for f in failures)
        super().__init__(f"{len(failures)} of {total} S3 object(s) failed: {details}")


@dataclass(slots=True)
class Tally:
    """Counts for one invocation, published as EMF metrics whatever the outcome."""

    processed: int = 0
    skipped: int = 0  # every record skipped, other event types included
    other_events: int = 0  # records that are not ObjectCreated:*
    bytes: int = 0
    failures: list[FailedObject] = field(default_factory=list)

    def publish(self, *, invalid_events: int = 0) -> None:
        metrics.add_metric(name="ObjectsProcessed", unit=MetricUnit.Count, value=self.processed)
        metrics.add_metric(name="BytesProcessed", unit=MetricUnit.Bytes, value=self.bytes)
        metrics.add_metric(name="ObjectsSkipped", unit=MetricUnit.Count, value=self.skipped)
        metrics.add_metric(name="OtherEventRecords", unit=MetricUnit.Count, value=self.other_events)
        metrics.add_metric(name="ObjectsFailed", unit=MetricUnit.Count, value=len(self.failures))
        metrics.add_metric(name="InvalidEvents", unit=MetricUnit.Count, value=invalid_events)

    def summary(self) -> Summary:
        return {"processed": self.processed, "skipped": self.skipped, "failed": len(self.failures)}


@dataclass(slots=True)
class ContainerState:
    """Per-execution-environment state; Lambda imports this module once per container."""

    # Provisioned concurrency initialises ahead of traffic, so its first call is not cold.
    cold_start: bool = os.environ.get("AWS_LAMBDA_INITIALIZATION_TYPE") != (
        "provisioned-concurrency"
    )


CONTAINER = ContainerState()


@functools.cache
def s3_client() -> BaseClient:
    """The container's S3 client, created on first use and reused by warm invocations.

    boto3 resolves credentials and the endpoint from the environment (``AWS_ENDPOINT_URL_S3``
    is how tests point it at a local server).
    """
    return boto3.client("s3", region_name=os.environ.get("AWS_REGION"), config=S3_CONFIG)


@logger.inject_lambda_context(log_event=False, clear_state=True)
@metrics.log_metrics
def lambda_handler(event: object, context: LambdaContext) -> Summary:
    """Entry point. ``log_event=False`` overrides POWERTOOLS_LOGGER_LOG_EVENT: keys may be PII."""
    if CONTAINER.cold_start:
        # Powertools' capture_cold_start_metric only counts cold starts that succeed.
        CONTAINER.cold_start = False
        with single_metric(
            name="ColdStart", unit=MetricUnit.Count, value=1, namespace=metrics.namespace
        ) as cold_start:
            cold_start.add_dimension(name="function_name", value=context.function_name)
            cold_start.add_dimension(name="service", value=str(metrics.service))
    return process_event(event, s3_client())


def process_event(event: object, s3: BaseClient) -> Summary:
    """Handle every record of one notification, then raise if any object failed."""
    logger.debug("Received event", extra={"event": event})
    tally = Tally()
    try:
        refs = parse_notification(event)
    except ValueError as error:
        logger.error("Malformed event", extra={"error": str(error)})
        tally.publish(invalid_events=1)
        raise
    if refs is None:
        logger.info("S3 test event ignored")
        tally.publish()
        return tally.summary()

    for ref in refs:
        if isinstance(ref, OtherRecord):
            logger.info("Record skipped: not an object-created event", extra=ref.log_fields())
            tally.skipped += 1
            tally.other_events += 1
        else:
            handle_record(ref, s3, tally)
    tally.publish()
    logger.info("Event handled", extra={"records": len(refs), **tally.summary()})
    if tally.failures:
        raise ObjectProcessingError(tally.failures, total=len(refs))
    return tally.summary()


def parse_notification(event: object) -> list[ObjectRef | OtherRecord] | None:
    """Validate an S3 notification; ``None`` for the ``s3:TestEvent`` S3 sends on setup.

    Records are read as plain JSON, field by field as validated: the record shapes differ by
    event type (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
    """
    if not isinstance(event, Mapping):
        raise ValueError(
            f"event must be a JSON object with a 'Records' list, got {type(event).__name__}"
        )
    if event.get("Event") == TEST_EVENT and "Records" not in event:
        return None
    if "Records" not in event:
        raise ValueError("event has no 'Records' list: not an S3 event notification")
    records = event["Records"]
    if not isinstance(records, list):
        raise ValueError(f"event 'Records' must be a list, got {type(records).__name__}")
    return [_record(index, record) for index, record in enumerate(records)]


def _record(index: int, raw: object) -> ObjectRef | OtherRecord:
    """One record: an object-created record fully validated, any other kind by its name only."""
    where = f"Records[{index}]"
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be a JSON object, got {type(raw).__name__}")
    event_name = _require(raw, "eventName", str, where)
    event_time = raw.get("eventTime")
    event_time = event_time if isinstance(event_time, str) else None
    if not event_name.startswith(OBJECT_CREATED_PREFIX):
        return OtherRecord(index=index, event_name=event_name, event_time=event_time)
    s3 = _require(raw, "s3", Mapping, where)
    bucket = _require(s3, "bucket", Mapping, f"{where}.s3")
    bucket_name = _require(bucket, "name", str, f"{where}.s3.bucket")
    obj = _require(s3, "object", Mapping, f"{where}.s3")
    encoded_key = _require(obj, "key", str, f"{where}.s3.object")
    optional: dict[str, str | None] = {}
    for name in ("versionId", "sequencer"):
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            kind = type(value).__name__
            raise ValueError(f"{where}.s3.object.{name} must be a string or null, got {kind}")
        optional[name] = value or None
    try:
        key = unquote_plus(encoded_key, errors="strict")
        key.encode("utf-8")  # a lone surrogate decodes from JSON but cannot name an object
    except UnicodeError:
        raise ValueError(
            f"{where}.s3.object.key is not URL-encoded UTF-8, as S3 sends keys"
        ) from None
    return ObjectRef(
        index=index,
        event_name=event_name,
        event_time=event_time,
        bucket=bucket_name,
        key=key,
        version_id=optional["versionId"],
        sequencer=optional["sequencer"],
    )


def _require(mapping: Mapping[str, Any], name: str, kind: type, where: str) -> Any:
    """Return ``mapping[name]`` if it is a non-empty ``kind``, else say what is wrong."""
    if name not in mapping or mapping[name] is None:
        raise ValueError(f"{where}.{name} is missing")
    value = mapping[name]
    if not isinstance(value, kind):
        raise ValueError(f"{where}.{name} must be {_article(kind)}, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{where}.{name} is empty")
    return value


def _article(kind: type) -> str:
    return "a JSON object" if kind is Mapping else "a string"


def handle_record(ref: ObjectRef, s3: BaseClient, tally: Tally) -> None:
    """Process one object-created record into ``tally``; AWS errors are recorded, never raised."""
    params = {"Bucket": ref.bucket, "Key": ref.key}
    if ref.version_id:
        params["VersionId"] = ref.version_id
    try:
        head = s3.head_object(**params)
    except ClientError as error:
        code, message = _error_code(error), str(error)
        if code in HEAD_NOT_FOUND:
            code, message = _why_not_found(s3, params)
        if code in OBJECT_GONE:
            logger.warning(
                "Record skipped: object no longer exists",
                extra={**ref.log_fields(), "reason": code},
            )
            tally.skipped += 1
        else:
            _record_failure(ref, code, message, tally)
        return
    except BotoCoreError as error:
        _record_failure(ref, type(error).__name__, str(error), tally)
        return

    size = int(head.get("ContentLength", 0))
    last_modified = head.get("LastModified")
    logger.info(
        "Object processed",
        extra={
            **ref.log_fields(),
            "version_id": head.get("VersionId") or ref.version_id,
            "size": size,
            "content_type": head.get("ContentType"),
            "etag": str(head.get("ETag", "")).strip('"'),
            "last_modified": last_modified.isoformat() if last_modified else None,
            "server_side_encryption": head.get("ServerSideEncryption"),
        },
    )
    tally.processed += 1
    tally.bytes += size


def _why_not_found(s3: BaseClient, params: dict[str, str]) -> tuple[str, str]:
    """Tell a deleted object from a missing bucket, which a HEAD 404 cannot; (code, message).

    A one-byte ranged GetObject returns S3's error code in its body (needs only the
    s3:GetObject / s3:GetObjectVersion the function already has). If the object exists again,
    it was re-created after the event; report that so the retry processes it.
    """
    reappeared = ("ObjectReappeared", "HeadObject returned 404, then GetObject found the object")
    try:
        response = s3.get_object(Range="bytes=0-0", **params)
    except ClientError as error:
        code = _error_code(error)
        if code == "InvalidRange":  # an empty object exists
            return reappeared
        return code, f"HeadObject returned 404; GetObject says: {error}"
    except BotoCoreError as error:
        return type(error).__name__, f"HeadObject returned 404; GetObject failed: {error}"
    response["Body"].close()
    return reappeared


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code") or "Unknown")


def _record_failure(ref: ObjectRef, code: str, message: str, tally: Tally) -> None:
    logger.error("Object failed", extra={**ref.log_fields(), "error_code": code, "error": message})
    tally.failures.append(FailedObject(ref=ref, error_code=code, error_message=message))
