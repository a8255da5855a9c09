"""The handler against a moto S3 server over real HTTP, judged by its return value, the error
it raises, and the structured log lines and EMF metric blobs it prints."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import pytest
from lambda_support import (
    BUCKET,
    FUNCTION_NAME,
    SERVICE,
    FakeContext,
    capture,
    metric_values,
    s3_event,
    s3_record,
    s3_test_event,
)

UNUSUAL_KEYS = [
    "plain.txt",
    "with space/and more spaces.csv",
    "plus+sign+kept.txt",
    "100% literal percent.bin",
    "unicode/é/日本語/файл 🚀.json",
    "deeply/nested/prefix/a/b/c/d/e/object.parquet",
    "tab\tand=equals&amp;?query#hash.txt",
]


def put(s3: Any, key: str, body: bytes, content_type: str = "application/octet-stream") -> str:
    """Upload an object and return its version id."""
    return s3.put_object(Bucket=BUCKET, Key=key, Body=body, ContentType=content_type)["VersionId"]


def invoke(handler: ModuleType, event: Any) -> Any:
    return handler.lambda_handler(event, FakeContext())


def test_processes_every_created_object_with_decoded_keys(
    handler: ModuleType, s3: Any, bucket: str
) -> None:
    records = []
    for number, key in enumerate(UNUSUAL_KEYS):
        body = b"x" * (number + 1)
        version = put(s3, key, body, content_type=f"text/test-{number}")
        records.append(s3_record(key, version_id=version, size=len(body)))

    with capture(handler) as out:
        summary = invoke(handler, s3_event(*records))

    assert summary == {"processed": len(UNUSUAL_KEYS), "skipped": 0, "failed": 0}
    processed = out.log("Object processed")
    assert [log["key"] for log in processed] == UNUSUAL_KEYS
    for number, log in enumerate(processed):
        assert log["level"] == "INFO"
        assert log["service"] == SERVICE
        assert log["bucket"] == BUCKET
        assert log["size"] == number + 1
        assert log["content_type"] == f"text/test-{number}"
        assert log["version_id"] == records[number]["s3"]["object"]["versionId"]
        assert log["server_side_encryption"] == "aws:kms"
        assert len(log["etag"]) == 32 and '"' not in log["etag"]
        assert log["event_name"] == "ObjectCreated:Put"
        assert log["sequencer"] == "0A1B2C3D4E5F678901"
        assert log["function_name"] == FUNCTION_NAME
    values = metric_values(out.metric_blob())
    assert values["ObjectsProcessed"] == len(UNUSUAL_KEYS)
    assert values["BytesProcessed"] == sum(range(1, len(UNUSUAL_KEYS) + 1))
    assert values["ObjectsSkipped"] == 0
    assert values["ObjectsFailed"] == 0
    assert values["InvalidEvents"] == 0


@pytest.mark.parametrize(
    ("encoded", "decoded"),
    [
        ("a+b.txt", "a b.txt"),
        ("a%2Bb.txt", "a+b.txt"),
        ("caf%C3%A9/%E6%97%A5.txt", "café/日.txt"),
        ("dir%2Fencoded/slash", "dir/encoded/slash"),
        ("100%25.txt", "100%.txt"),
    ],
)
def test_keys_are_url_decoded_like_s3_encodes_them(
    handler: ModuleType, s3: Any, bucket: str, encoded: str, decoded: str
) -> None:
    put(s3, decoded, b"data")
    record = s3_record("placeholder")
    record["s3"]["object"]["key"] = encoded

    with capture(handler) as out:
        assert invoke(handler, s3_event(record))["processed"] == 1

    assert out.log("Object processed")[0]["key"] == decoded


def test_version_id_pins_the_version_the_event_announced(
    handler: ModuleType, s3: Any, bucket: str
) -> None:
    first = put(s3, "report.csv", b"first version")
    put(s3, "report.csv", b"second, longer version")

    with capture(handler) as out:
        invoke(handler, s3_event(s3_record("report.csv", version_id=first)))

    (log,) = out.log("Object processed")
    assert log["version_id"] == first
    assert log["size"] == len(b"first version")


def test_duplicate_delivery_is_harmless(handler: ModuleType, s3: Any, bucket: str) -> None:
    """S3 delivers at least once; the handler only reads, so a repeat gives the same result."""
    version = put(s3, "again.txt", b"abc")
    event = s3_event(s3_record("again.txt", version_id=version))
    with capture(handler) as out:
        first, second = invoke(handler, event), invoke(handler, event)
    assert first == second == {"processed": 1, "skipped": 0, "failed": 0}
    assert len(out.log("Object processed")) == 2


def test_deleted_object_is_skipped_with_a_warning(
    handler: ModuleType, s3: Any, bucket: str
) -> None:
    put(s3, "gone soon.txt", b"bye")
    s3.delete_object(Bucket=BUCKET, Key="gone soon.txt")  # leaves a delete marker

    with capture(handler) as out:
        summary = invoke(handler, s3_event(s3_record("gone soon.txt")))

    assert summary == {"processed": 0, "skipped": 1, "failed": 0}
    (warning,) = out.log("Record skipped: object no longer exists")
    assert warning["level"] == "WARNING"
    assert warning["reason"] == "NoSuchKey"
    assert warning["key"] == "gone soon.txt"
    assert out.messages("ERROR") == []
    values = metric_values(out.metric_blob())
    assert (values["ObjectsSkipped"], values["ObjectsFailed"]) == (1, 0)


def test_deleted_version_is_skipped_with_a_warning(
    handler: ModuleType, s3: Any, bucket: str
) -> None:
    old = put(s3, "versioned.txt", b"old")
    put(s3, "versioned.txt", b"current")
    s3.delete_object(Bucket=BUCKET, Key="versioned.txt", VersionId=old)

    with capture(handler) as out:
        summary = invoke(handler, s3_event(s3_record("versioned.txt", version_id=old)))

    assert summary == {"processed": 0, "skipped": 1, "failed": 0}
    (warning,) = out.log("Record skipped: object no longer exists")
    assert warning["reason"] == "NoSuchVersion"
    assert warning["version_id"] == old


def test_missing_bucket_fails_the_invocation(handler: ModuleType, s3: Any, bucket: str) -> None:
    event = s3_event(s3_record("orphan.txt", bucket="no-such-bucket-anywhere"))

    with capture(handler) as out, pytest.raises(handler.ObjectProcessingError) as raised:
        invoke(handler, event)

    message = str(raised.value)
    assert "1 of 1" in message
    assert "s3://no-such-bucket-anywhere/'orphan.txt'" in message
    assert "NoSuchBucket" in message
    (error,) = out.log("Object failed")
    assert error["level"] == "ERROR"
    assert error["error_code"] == "NoSuchBucket"
    assert error["bucket"] == "no-such-bucket-anywhere"
    assert metric_values(out.metric_blob())["ObjectsFailed"] == 1


def test_mixed_event_logs_the_good_and_raises_naming_only_the_bad(
    handler: ModuleType, s3: Any, bucket: str
) -> None:
    good = put(s3, "good one.txt", b"12345")
    put(s3, "deleted.txt", b"x")
    s3.delete_object(Bucket=BUCKET, Key="deleted.txt")
    event = s3_event(
        s3_record("good one.txt", version_id=good),
        s3_record("bad/first.txt", bucket="missing-bucket-one"),
        s3_record("deleted.txt"),
        s3_record("whatever.txt", event_name="ObjectRemoved:Delete"),
        s3_record("bad/second.txt", bucket="missing-bucket-two"),
    )

    with capture(handler) as out, pytest.raises(handler.ObjectProcessingError) as raised:
        invoke(handler, event)

    error = raised.value
    assert [(f.ref.bucket, f.ref.key) for f in error.failures] == [
        ("missing-bucket-one", "bad/first.txt"),
        ("missing-bucket-two", "bad/second.txt"),
    ]
    assert "2 of 5" in str(error)
    assert "good one.txt" not in str(error) and "deleted.txt" not in str(error)
    assert [log["key"] for log in out.log("Object processed")] == ["good one.txt"]
    assert [log["key"] for log in out.log("Object failed")] == ["bad/first.txt", "bad/second.txt"]
    (handled,) = out.log("Event handled")
    assert (handled["processed"], handled["skipped"], handled["failed"]) == (1, 2, 2)
    values = metric_values(out.metric_blob())
    assert values["ObjectsProcessed"] == 1
    assert values["BytesProcessed"] == 5
    assert values["ObjectsSkipped"] == 2
    assert values["ObjectsFailed"] == 2


def test_other_event_types_are_logged_and_skipped_without_s3_calls(
    handler: ModuleType, s3: Any, bucket: str
) -> None:
    event = s3_event(
        s3_record("a.txt", event_name="ObjectRemoved:DeleteMarkerCreated"),
        s3_record("b.txt", event_name="ObjectRestore:Completed", bucket="not-even-a-real-bucket"),
    )
    with capture(handler) as out:
        summary = invoke(handler, event)
    assert summary == {"processed": 0, "skipped": 2, "failed": 0}
    skipped = out.log("Record skipped: not an object-created event")
    assert [log["event_name"] for log in skipped] == [
        "ObjectRemoved:DeleteMarkerCreated",
        "ObjectRestore:Completed",
    ]


def test_s3_test_event_is_a_no_op(handler: ModuleType) -> None:
    with capture(handler) as out:
        summary = invoke(handler, s3_test_event())
    assert summary == {"processed": 0, "skipped": 0, "failed": 0}
    assert out.messages() == ["S3 test event ignored"]
    assert metric_values(out.metric_blob())["ObjectsProcessed"] == 0


def test_empty_records_list_is_a_no_op(handler: ModuleType) -> None:
    with capture(handler) as out:
        assert invoke(handler, {"Records": []}) == {"processed": 0, "skipped": 0, "failed": 0}
    (handled,) = out.log("Event handled")
    assert handled["records"] == 0


def valid_record() -> dict[str, Any]:
    return s3_record("some key.txt")


def without(path: str) -> dict[str, Any]:
    """A one-record event with the field at dotted ``path`` (inside the record) removed."""
    record = valid_record()
    *parents, last = path.split(".")
    target = record
    for name in parents:
        target = target[name]
    del target[last]
    return s3_event(record)


def replaced(path: str, value: Any) -> dict[str, Any]:
    record = valid_record()
    *parents, last = path.split(".")
    target = record
    for name in parents:
        target = target[name]
    target[last] = value
    return s3_event(record)


MALFORMED = [
    pytest.param(["Records"], "event must be a JSON object.*got list", id="list"),
    pytest.param("Records", "event must be a JSON object.*got str", id="string"),
    pytest.param(None, "event must be a JSON object.*got NoneType", id="null"),
    pytest.param({}, "event has no 'Records' list", id="empty-object"),
    pytest.param({"records": []}, "event has no 'Records' list", id="wrong-case"),
    pytest.param({"Records": {"0": {}}}, "'Records' must be a list, got dict", id="records-dict"),
    pytest.param({"Records": [valid_record(), 7]}, r"Records\[1\] must be a JSON object", id="int"),
    pytest.param(without("s3"), r"Records\[0\]\.s3 is missing", id="no-s3"),
    pytest.param(without("eventName"), r"Records\[0\]\.eventName is missing", id="no-name"),
    pytest.param(without("s3.bucket"), r"Records\[0\]\.s3\.bucket is missing", id="no-bucket"),
    pytest.param(
        without("s3.bucket.name"), r"Records\[0\]\.s3\.bucket\.name is missing", id="no-bucket-name"
    ),
    pytest.param(
        replaced("s3.bucket.name", ""), r"s3\.bucket\.name is empty", id="empty-bucket-name"
    ),
    pytest.param(without("s3.object"), r"Records\[0\]\.s3\.object is missing", id="no-object"),
    pytest.param(without("s3.object.key"), r"s3\.object\.key is missing", id="no-key"),
    pytest.param(replaced("s3.object.key", ""), r"s3\.object\.key is empty", id="empty-key"),
    pytest.param(
        replaced("s3.object.key", 42), r"s3\.object\.key must be a string, got int", id="int-key"
    ),
    pytest.param(
        replaced("s3.object.key", "%FF%FE"), r"key is not URL-encoded UTF-8", id="bad-utf8-key"
    ),
    pytest.param(
        replaced("s3.object.key", "\ud800"), r"key is not URL-encoded UTF-8", id="surrogate-key"
    ),
    pytest.param(
        replaced("s3.object.versionId", 3), r"versionId must be a string or null", id="int-version"
    ),
    pytest.param(
        replaced("s3", "s3://bucket/key"), r"s3 must be a JSON object, got str", id="s3-string"
    ),
]


@pytest.mark.parametrize(("event", "expected"), MALFORMED)
def test_malformed_events_raise_value_error_naming_what_is_wrong(
    handler: ModuleType, event: Any, expected: str
) -> None:
    with capture(handler) as out, pytest.raises(ValueError, match=expected):
        invoke(handler, event)

    (error,) = out.log("Malformed event")
    assert error["level"] == "ERROR"
    values = metric_values(out.metric_blob())
    assert values["InvalidEvents"] == 1
    assert values["ObjectsProcessed"] == 0
    assert "some+key.txt" not in out.buffer.getvalue()  # no part of the raw event is logged


def test_cold_start_is_counted_once_even_when_the_first_call_fails(
    handler: ModuleType, s3: Any, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(handler.CONTAINER, "cold_start", True)  # a fresh execution environment
    good = put(s3, "warm.txt", b"w")

    with capture(handler) as cold, pytest.raises(handler.ObjectProcessingError):
        invoke(handler, s3_event(s3_record("x.txt", bucket="missing-bucket-cold")))
    with capture(handler) as warm:
        invoke(handler, s3_event(s3_record("warm.txt", version_id=good)))

    (blob,) = cold.cold_start_blobs()
    assert metric_values(blob) == {"ColdStart": 1}
    assert blob["function_name"] == FUNCTION_NAME
    assert blob["service"] == SERVICE
    assert warm.cold_start_blobs() == []


def test_log_event_env_var_cannot_make_the_handler_log_the_event(
    handler: ModuleType, s3: Any, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """POWERTOOLS_LOGGER_LOG_EVENT=true would log every event at INFO; the handler opts out."""
    monkeypatch.setenv("POWERTOOLS_LOGGER_LOG_EVENT", "true")
    put(s3, "private/alice-medical-record.pdf", b"pdf")
    event = s3_event(s3_record("private/alice-medical-record.pdf"))
    with capture(handler) as out:
        invoke(handler, event)
    assert all("Records" not in json.dumps(log) for log in out.logs)
    assert not any(log["message"] == event for log in out.logs)


def test_emf_blob_is_valid_cloudwatch_embedded_metric_format(
    handler: ModuleType, s3: Any, bucket: str
) -> None:
    put(s3, "emf.txt", b"123")
    with capture(handler) as out:
        invoke(handler, s3_event(s3_record("emf.txt")))
    blob = out.metric_blob()
    (directive,) = blob["_aws"]["CloudWatchMetrics"]
    assert isinstance(blob["_aws"]["Timestamp"], int)
    assert directive["Dimensions"] == [["service"]]
    assert blob["service"] == SERVICE
    units = {metric["Name"]: metric["Unit"] for metric in directive["Metrics"]}
    assert units == {
        "ObjectsProcessed": "Count",
        "BytesProcessed": "Bytes",
        "ObjectsSkipped": "Count",
        "OtherEventRecords": "Count",
        "ObjectsFailed": "Count",
        "InvalidEvents": "Count",
    }


def test_s3_client_is_created_once_per_container(handler: ModuleType) -> None:
    assert handler.s3_client() is handler.s3_client()
    assert handler.s3_client().meta.region_name == "eu-west-1"


def test_real_http_connection_failure_is_recorded_not_raised_midway(
    handler: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing listens on the discard port: botocore retries, then the record fails."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")
    event = s3_event(
        s3_record("unreachable.txt"), s3_record("skip.txt", event_name="ObjectRemoved:Delete")
    )

    with capture(handler) as out, pytest.raises(handler.ObjectProcessingError) as raised:
        invoke(handler, event)

    assert [f.error_code for f in raised.value.failures] == ["EndpointConnectionError"]
    assert out.log("Record skipped: not an object-created event")  # later records still handled
    assert metric_values(out.metric_blob())["ObjectsFailed"] == 1
