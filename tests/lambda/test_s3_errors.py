"""S3 answers moto cannot give on demand (access denied, throttling, races), stubbed on the
container's own boto3 client with botocore's Stubber, through the full handler."""

from __future__ import annotations

import io
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber
from lambda_support import BUCKET, FakeContext, capture, metric_values, s3_event, s3_record


@pytest.fixture
def stub(handler: ModuleType) -> Iterator[Stubber]:
    with Stubber(handler.s3_client()) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


def head_params(key: str, version_id: str | None = None) -> dict[str, Any]:
    params = {"Bucket": BUCKET, "Key": key}
    if version_id:
        params["VersionId"] = version_id
    return params


def run_failing(handler: ModuleType, event: dict[str, Any]) -> tuple[Any, Any]:
    with capture(handler) as out, pytest.raises(handler.ObjectProcessingError) as raised:
        handler.lambda_handler(event, FakeContext())
    return raised.value, out


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("403", 403),  # HEAD has no body; also what a deleted object gives without s3:ListBucket
        ("AccessDenied", 403),
        ("SlowDown", 503),  # throttling that outlived botocore's retries
        ("InternalError", 500),
        ("400", 400),  # e.g. a malformed version id
    ],
)
def test_head_errors_other_than_not_found_fail_the_record(
    handler: ModuleType, stub: Stubber, code: str, status: int
) -> None:
    stub.add_client_error(
        "head_object",
        service_error_code=code,
        http_status_code=status,
        expected_params=head_params("k.txt"),
    )

    error, out = run_failing(handler, s3_event(s3_record("k.txt")))

    (failure,) = error.failures
    assert failure.error_code == code
    assert f"s3://{BUCKET}/'k.txt'" in str(error)
    assert out.log("Object failed")[0]["error_code"] == code
    assert out.log("Record skipped: object no longer exists") == []
    assert metric_values(out.metric_blob())["ObjectsFailed"] == 1


def test_not_found_is_confirmed_with_a_one_byte_ranged_get_of_the_same_version(
    handler: ModuleType, stub: Stubber
) -> None:
    params = head_params("gone.txt", "v-123")
    stub.add_client_error("head_object", "404", http_status_code=404, expected_params=params)
    stub.add_client_error(
        "get_object",
        "NoSuchVersion",
        http_status_code=404,
        expected_params={**params, "Range": "bytes=0-0"},
    )

    with capture(handler) as out:
        summary = handler.lambda_handler(
            s3_event(s3_record("gone.txt", version_id="v-123")), FakeContext()
        )

    assert summary == {"processed": 0, "skipped": 1, "failed": 0}
    assert out.log("Record skipped: object no longer exists")[0]["reason"] == "NoSuchVersion"


@pytest.mark.parametrize("get_outcome", ["object", "empty-object"])
def test_object_recreated_between_head_and_get_fails_so_the_retry_sees_it(
    handler: ModuleType, stub: Stubber, get_outcome: str
) -> None:
    stub.add_client_error("head_object", "404", http_status_code=404)
    if get_outcome == "object":
        body = StreamingBody(io.BytesIO(b"n"), 1)
        stub.add_response("get_object", {"Body": body, "ContentLength": 1})
    else:
        stub.add_client_error("get_object", "InvalidRange", http_status_code=416)

    error, out = run_failing(handler, s3_event(s3_record("flaky.txt")))

    assert [f.error_code for f in error.failures] == ["ObjectReappeared"]
    assert "GetObject found the object" in out.log("Object failed")[0]["error"]


def test_confirming_get_denied_is_a_failure(handler: ModuleType, stub: Stubber) -> None:
    stub.add_client_error("head_object", "404", http_status_code=404)
    stub.add_client_error("get_object", "AccessDenied", http_status_code=403)

    error, out = run_failing(handler, s3_event(s3_record("denied.txt")))

    (failure,) = error.failures
    assert failure.error_code == "AccessDenied"
    assert failure.error_message.startswith("HeadObject returned 404; GetObject says:")
    assert "HeadObject returned 404" in out.log("Object failed")[0]["error"]
