"""Run the handler once on an event file against a local moto S3 server (``make invoke``).

Usage: ``python tools/invoke_local.py EVENT.json`` with the Powertools environment set (the
Makefile target sets it). The script starts moto's S3 server on a free loopback port, creates
every bucket the event's records name and, for each ``ObjectCreated:*`` record, an object at its
(decoded) key, so that the handler has something to read; then it calls
``lambda_handler(event, context)`` exactly as Lambda would, prints the handler's log lines and
EMF metrics as they come and, last, the handler's result (all on stdout; what the script
itself does goes to stderr), then stops the server.

Exit status: 0 the handler returned, 1 it raised (the error is printed on stderr, as Lambda
reports it), 2 the event file is unreadable.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

REPOSITORY = Path(__file__).resolve().parent.parent


@dataclass
class LocalContext:
    """The attributes of Lambda's context object that Powertools reads."""

    function_name: str = "s3-object-processor-local"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = (
        "arn:aws:lambda:us-east-1:123456789012:function:s3-object-processor-local"
    )
    aws_request_id: str = "00000000-0000-4000-8000-000000000000"
    function_version: str = "$LATEST"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


class EventFileError(Exception):
    """The event file cannot be read or parsed; exit status 2."""


def _read_event(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise EventFileError(f"cannot read the event file {path}: {err.strerror}.") from None
    except ValueError as err:
        raise EventFileError(f"the event file {path} is not valid JSON: {err}.") from None


def _seed(event: Any, region: str) -> None:
    """Create what the event's well-formed records name; leave malformed records to the handler."""
    import boto3  # noqa: PLC0415 (after AWS_ENDPOINT_URL_S3 is set)

    s3 = boto3.client("s3", region_name=region)
    records = event.get("Records") if isinstance(event, dict) else None
    buckets: set[str] = set()
    for record in records if isinstance(records, list) else []:
        s3_part = record.get("s3") if isinstance(record, dict) else None
        bucket = s3_part.get("bucket") if isinstance(s3_part, dict) else None
        name = bucket.get("name") if isinstance(bucket, dict) else None
        if not isinstance(name, str) or not name:
            continue
        if name not in buckets:
            options = (
                {}
                if region == "us-east-1"
                else {"CreateBucketConfiguration": {"LocationConstraint": region}}
            )
            s3.create_bucket(Bucket=name, **options)
            buckets.add(name)
            print(f"local S3: created bucket {name}", file=sys.stderr)
        event_name = record.get("eventName")
        obj = s3_part.get("object")
        key = obj.get("key") if isinstance(obj, dict) else None
        if isinstance(event_name, str) and event_name.startswith("ObjectCreated:") and key:
            decoded = unquote_plus(key) if isinstance(key, str) else None
            if decoded:
                s3.put_object(Bucket=name, Key=decoded, Body=b"local invoke\n")
                print(f"local S3: put s3://{name}/{decoded!r}", file=sys.stderr)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: make invoke EVENT=events/object-created.json", file=sys.stderr)
        return 2
    try:
        event = _read_event(argv[0])
    except EventFileError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    from moto.server import ThreadedMotoServer  # noqa: PLC0415

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per HTTP request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        os.environ["AWS_ENDPOINT_URL_S3"] = f"http://{host}:{port}"
        print(f"local S3: moto server on http://{host}:{port}", file=sys.stderr)
        _seed(event, os.environ.get("AWS_REGION", "us-east-1"))
        sys.path.insert(0, str(REPOSITORY / "lambda_code"))  # the code root, as Lambda has it
        import main as handler  # noqa: PLC0415

        try:
            result = handler.lambda_handler(event, LocalContext())
        except Exception as err:  # the handler's own errors: report them as Lambda would
            sys.stdout.flush()
            print(f"handler raised {type(err).__name__}: {err}", file=sys.stderr)
            traceback.print_exc(limit=-1, file=sys.stderr)
            return 1
        sys.stdout.flush()
        print(json.dumps(result))
        return 0
    finally:
        server.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
