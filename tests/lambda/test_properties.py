"""Property-based tests: whatever JSON arrives, the handler returns a summary or raises its own
clear errors, its metrics agree with its answer, and it never logs the raw event at INFO."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as record_statistic
from hypothesis import strategies as st
from lambda_support import (
    BUCKET,
    FakeContext,
    capture,
    contains_value,
    encode_key,
    metric_values,
    s3_record,
)

# The fixtures (moto server, bucket, environment) are set up once per test and are meant to
# be shared by every example.
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

EXISTING_KEYS = ["exists.txt", "dir/with space.txt", "plus+sign.txt", "ünïcode/ключ.txt"]

# Any character, lone surrogates included: JSON's "\ud800" escape decodes to one.
any_text = st.text(st.characters(exclude_categories=()), max_size=12)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | any_text
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(any_text, children, max_size=4)
    ),
    max_leaves=10,
)


def sometimes_wrong(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a well-formed value, one time in ten any JSON value at all."""
    return st.integers(0, 9).flatmap(lambda roll: json_values if roll == 0 else valid)


s3_object = st.fixed_dictionaries(
    {
        "key": sometimes_wrong(
            st.sampled_from([encode_key(key) for key in EXISTING_KEYS]) | st.text(min_size=1)
        )
    },
    optional={
        "size": st.integers(min_value=0),
        "eTag": st.text(max_size=32),
        "versionId": sometimes_wrong(st.none() | st.text(max_size=40)),
        "sequencer": sometimes_wrong(st.text(alphabet="0123456789ABCDEF", max_size=18)),
    },
)
s3_section = st.fixed_dictionaries(
    {
        "bucket": sometimes_wrong(
            st.fixed_dictionaries(
                {"name": sometimes_wrong(st.sampled_from([BUCKET, "property-missing-bucket"]))}
            )
        ),
        "object": sometimes_wrong(s3_object),
    },
    optional={"s3SchemaVersion": st.just("1.0"), "configurationId": st.text(max_size=10)},
)
near_valid_record = st.fixed_dictionaries(
    {
        "eventName": sometimes_wrong(
            st.sampled_from(
                [
                    "ObjectCreated:Put",
                    "ObjectCreated:CompleteMultipartUpload",
                    "ObjectRemoved:Delete",
                    "ObjectRestore:Completed",
                ]
            )
        ),
        "s3": sometimes_wrong(s3_section),
    },
    optional={
        "eventVersion": st.just("2.1"),
        "eventSource": st.just("aws:s3"),
        "eventTime": sometimes_wrong(st.just("2026-11-26T12:00:00.000Z")),
    },
)
event_shapes = [
    json_values,
    st.fixed_dictionaries({"Records": json_values}),
    st.fixed_dictionaries(
        {"Event": st.just("s3:TestEvent")}, optional={"Records": json_values, "Bucket": any_text}
    ),
    st.dictionaries(any_text, json_values, max_size=3).map(lambda extra: {**extra, "Records": []}),
]
near_valid_event = st.fixed_dictionaries(
    {"Records": st.lists(sometimes_wrong(near_valid_record), min_size=1, max_size=3)}
)
# Half the examples are S3-shaped events with a few wrong parts; half are anything at all.
events = st.integers(0, 7).flatmap(
    lambda roll: event_shapes[roll] if roll < len(event_shapes) else near_valid_event
)


@pytest.fixture
def seeded_bucket(s3: Any, bucket: str) -> str:
    for key in EXISTING_KEYS:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    return bucket


def assert_never_logged_raw_event(out: Any, event: Any) -> None:
    if not (isinstance(event, dict | list) and event):
        return
    dumped = json.dumps(event, ensure_ascii=False)
    for log in out.logs:
        if log["level"] == "DEBUG":
            continue
        assert not contains_value(log, event), f"raw event logged at {log['level']}: {log}"
        if len(dumped) > 30:
            assert dumped not in json.dumps(log, ensure_ascii=False)


@PROPERTY_SETTINGS
@given(event=events)
def test_any_json_event_gives_a_summary_or_a_clear_error(
    handler: ModuleType, seeded_bucket: str, event: Any
) -> None:
    with capture(handler) as out:
        try:
            summary = handler.lambda_handler(event, FakeContext())
        except handler.ObjectProcessingError as error:
            outcome, failed = "failed", len(error.failures)
            assert failed > 0
            assert all(f"s3://{f.ref.bucket}/" in str(error) for f in error.failures)
        except ValueError as error:
            outcome, failed = "invalid", 0
            # Our own message, naming the part of the event that is wrong.
            assert str(error).startswith(("event ", "Records[")), str(error)
        else:
            outcome, failed = "ok", 0
            assert set(summary) == {"processed", "skipped", "failed"}
            assert summary["failed"] == 0
            assert all(isinstance(count, int) and count >= 0 for count in summary.values())

    record_statistic(f"outcome: {outcome}")  # see --hypothesis-show-statistics
    assert_never_logged_raw_event(out, event)
    values = metric_values(out.metric_blob())  # every line printed is JSON; one metrics blob
    assert values["InvalidEvents"] == (1 if outcome == "invalid" else 0)
    assert values["ObjectsFailed"] == failed
    if outcome == "ok":
        assert values["ObjectsProcessed"] == summary["processed"]
        assert values["ObjectsSkipped"] == summary["skipped"]
        assert len(out.log("Object processed")) == summary["processed"]


object_keys = st.text(
    st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda key: key.strip("/") == key and "//" not in key and key not in {".", ".."})


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(key=object_keys, body=st.binary(max_size=64))
def test_any_key_round_trips_through_s3_encoding(
    handler: ModuleType, s3: Any, bucket: str, key: str, body: bytes
) -> None:
    """Whatever key an object has, the event's encoded form leads back to the same object."""
    version = s3.put_object(Bucket=bucket, Key=key, Body=body)["VersionId"]

    with capture(handler) as out:
        summary = handler.lambda_handler(
            {"Records": [s3_record(key, version_id=version)]}, FakeContext()
        )

    assert summary == {"processed": 1, "skipped": 0, "failed": 0}
    (log,) = out.log("Object processed")
    assert (log["key"], log["size"], log["version_id"]) == (key, len(body), version)
