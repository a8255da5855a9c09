"""Every S3 notification event type, in the record shape AWS documents, through the handler.

The list of event types is botocore's S3 model (the ``Event`` enum a notification configuration
accepts); the record shapes are those of "Event message structure"
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html) and
"Supported event types" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
A record's ``eventName`` is the configured type without its ``s3:`` prefix; wildcards (``:*``)
only appear in configurations. When botocore gains a type, ``test_table_covers_botocore`` fails
until the table says what its records look like.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from types import ModuleType
from typing import Any

import botocore.session
import pytest
from lambda_support import BUCKET, FakeContext, capture, metric_values, s3_event, s3_record

Record = dict[str, Any]


def _configurable_event_names() -> list[str]:
    """Every notification event type in botocore's S3 model, as records name it."""
    model = botocore.session.get_session().get_service_model("s3")
    values = model.shape_for("Event").enum
    return sorted(v.removeprefix("s3:") for v in values if not v.endswith(":*"))


def _version(version: str) -> Callable[[Record], None]:
    def shape(record: Record) -> None:
        record["eventVersion"] = version

    return shape


def _removal(record: Record) -> None:
    """Removal records carry no size or eTag (the object is gone)."""
    obj = record["s3"]["object"]
    del obj["size"], obj["eTag"]
    obj["versionId"] = "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"


def _restore(record: Record) -> None:
    record["glacierEventData"] = {
        "restoreEventData": {
            "lifecycleRestorationExpiryTime": "2026-12-01T00:00:00.000Z",
            "lifecycleRestoreStorageClass": "GLACIER",
        }
    }


def _replication(record: Record) -> None:
    record["eventVersion"] = "2.2"
    record["replicationEventData"] = {
        "replicationRuleId": "replicate-all",
        "destinationBucket": "arn:aws:s3:::replica-bucket",
        "s3Operation": "OBJECT_PUT",
        "requestTime": "2026-11-26T12:00:00.000Z",
        "failureReason": "AssumeRoleNotPermitted",
        "threshold": "15",
        "replicationTime": "0",
    }


def _lifecycle_transition(record: Record) -> None:
    record["eventVersion"] = "2.3"
    record["lifecycleEventData"] = {
        "transitionEventData": {"destinationStorageClass": "STANDARD_IA"}
    }


def _intelligent_tiering(record: Record) -> None:
    """The one documented record that names its object ``get_object`` instead of ``object``."""
    record["eventVersion"] = "2.3"
    record["s3"]["get_object"] = record["s3"].pop("object")
    record["intelligentTieringEventData"] = {"destinationAccessTier": "ARCHIVE_ACCESS"}


def _both(*shapes: Callable[[Record], None]) -> Callable[[Record], None]:
    def shape(record: Record) -> None:
        for each in shapes:
            each(record)

    return shape


def _as_documented(record: Record) -> None:
    """Types whose records AWS documents with the common 2.1 layout."""


EVENT_SHAPES: dict[str, Callable[[Record], None]] = {
    "ObjectCreated:Put": _as_documented,
    "ObjectCreated:Post": _as_documented,
    "ObjectCreated:Copy": _as_documented,
    "ObjectCreated:CompleteMultipartUpload": _as_documented,
    "ObjectRemoved:Delete": _removal,
    "ObjectRemoved:DeleteMarkerCreated": _removal,
    "ObjectRestore:Post": _restore,
    "ObjectRestore:Completed": _restore,
    "ObjectRestore:Delete": _both(_version("2.3"), _restore),
    "ReducedRedundancyLostObject": _as_documented,
    "Replication:OperationFailedReplication": _replication,
    "Replication:OperationNotTracked": _replication,
    "Replication:OperationMissedThreshold": _replication,
    "Replication:OperationReplicatedAfterThreshold": _replication,
    "LifecycleTransition": _lifecycle_transition,
    "LifecycleExpiration:Delete": _both(_version("2.3"), _removal),
    "LifecycleExpiration:DeleteMarkerCreated": _both(_version("2.3"), _removal),
    "IntelligentTiering": _intelligent_tiering,
    "ObjectTagging:Put": _version("2.3"),
    "ObjectTagging:Delete": _version("2.3"),
    "ObjectAcl:Put": _version("2.3"),
    "ObjectAnnotation:Put": _version("2.3"),
    "ObjectAnnotation:Delete": _version("2.3"),
    "ObjectRetention:Put": _version("2.3"),
}


def documented_record(event_name: str, key: str, bucket: str = BUCKET) -> Record:
    record = s3_record(key, bucket=bucket, event_name=event_name)
    EVENT_SHAPES[event_name](record)
    return record


def invoke(handler: ModuleType, event: object) -> Any:
    return handler.lambda_handler(event, FakeContext())


def test_table_covers_botocore() -> None:
    assert set(EVENT_SHAPES) == set(_configurable_event_names())


OTHER_EVENTS = [name for name in EVENT_SHAPES if not name.startswith("ObjectCreated:")]


@pytest.mark.parametrize("event_name", _configurable_event_names())
def test_every_documented_event_type_is_handled(
    handler: ModuleType, s3: Any, bucket: str, event_name: str
) -> None:
    created = event_name.startswith("ObjectCreated:")
    if created:
        s3.put_object(Bucket=bucket, Key="doc key.txt", Body=b"12345")
    # A non-created record names a bucket that does not exist: any S3 call would fail it.
    target = bucket if created else "no-such-bucket-anywhere"
    with capture(handler) as out:
        summary = invoke(handler, s3_event(documented_record(event_name, "doc key.txt", target)))
    values = metric_values(out.metric_blob())
    if created:
        assert summary == {"processed": 1, "skipped": 0, "failed": 0}
        assert values["OtherEventRecords"] == 0
        (processed,) = out.log("Object processed")
        assert processed["key"] == "doc key.txt"
    else:
        assert summary == {"processed": 0, "skipped": 1, "failed": 0}
        assert values["ObjectsSkipped"] == values["OtherEventRecords"] == 1
        (skipped,) = out.log("Record skipped: not an object-created event")
        assert skipped["event_name"] == event_name


def test_one_event_with_every_type_processes_only_the_created_ones(
    handler: ModuleType, s3: Any, bucket: str
) -> None:
    s3.put_object(Bucket=bucket, Key="new.txt", Body=b"1")
    records = [documented_record(name, "new.txt") for name in _configurable_event_names()]
    with capture(handler) as out:
        summary = invoke(handler, s3_event(*records))
    created = sum(name.startswith("ObjectCreated:") for name in _configurable_event_names())
    assert summary == {"processed": created, "skipped": len(OTHER_EVENTS), "failed": 0}
    assert metric_values(out.metric_blob())["OtherEventRecords"] == len(OTHER_EVENTS)


def _bare(event_name: str) -> Record:
    return {"eventName": event_name}


ODD_SHAPES: list[Callable[[str], Record]] = [
    _bare,
    lambda name: {"eventName": name, "s3": "not an object"},
    lambda name: {"eventName": name, "s3": {"bucket": None, "get_object": 7}},
    lambda name: {"eventName": name, "s3": {"object": {"key": 42, "versionId": 3}}},
    lambda name: {"eventName": name, "eventTime": 5, "s3": {"object": {"key": "%FF"}}},
]


@pytest.mark.parametrize("shape", range(len(ODD_SHAPES)))
@pytest.mark.parametrize("event_name", OTHER_EVENTS)
def test_other_records_are_skipped_whatever_their_shape(
    handler: ModuleType, event_name: str, shape: int
) -> None:
    """Only ``eventName`` is read from a record that is not ObjectCreated:*."""
    with capture(handler) as out:
        summary = invoke(handler, s3_event(ODD_SHAPES[shape](event_name)))
    assert summary == {"processed": 0, "skipped": 1, "failed": 0}
    assert metric_values(out.metric_blob())["OtherEventRecords"] == 1


def test_created_record_shaped_like_intelligent_tiering_is_malformed(handler: ModuleType) -> None:
    """Object-created records always carry ``s3.object``; ``get_object`` alone is an error."""
    record = documented_record("ObjectCreated:Put", "k")
    record["s3"]["get_object"] = record["s3"].pop("object")
    with capture(handler), pytest.raises(ValueError, match=r"Records\[0\]\.s3\.object is missing"):
        invoke(handler, s3_event(record))


def test_documented_records_are_not_mutated(handler: ModuleType) -> None:
    record = documented_record("IntelligentTiering", "k")
    before = copy.deepcopy(record)
    with capture(handler):
        invoke(handler, s3_event(record))
    assert record == before
