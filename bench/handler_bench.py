"""Benchmark of the Lambda handler: cold import cost and per-record handling cost.

Every figure is printed beside a baseline measured in the same run, as a ratio:

* cold import of ``lambda_code.main`` in a fresh interpreter (median of several runs), beside a
  bare interpreter start (``python -c pass``);
* handling an S3 notification through ``main.lambda_handler`` (Powertools decorators, logging
  and EMF included) with S3 stubbed at the client level (botocore's ``Stubber`` on the
  container's own client: parameters are validated and serialised, nothing goes over the
  network), beside a bare ``json.loads`` of the same event, which is what the Lambda runtime
  does to every event before the handler runs.

Run from the repository root: ``.venv/bin/python bench/handler_bench.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BUCKET = "bench-bucket"
LAMBDA_ENV = {
    "POWERTOOLS_SERVICE_NAME": "s3-object-processor",
    "POWERTOOLS_METRICS_NAMESPACE": "ServerlessS3Lambda",
    "POWERTOOLS_LOG_LEVEL": "INFO",
    "AWS_REGION": "eu-west-1",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
}


class Context:
    """The Lambda context attributes Powertools reads."""

    function_name = "s3-object-processor-bench"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:bench"
    aws_request_id = "00000000-0000-0000-0000-000000000000"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def fresh_interpreter_seconds(snippets: dict[str, str], runs: int) -> dict[str, float]:
    """Median wall time of ``python -c <code>`` for each snippet, each in a fresh interpreter.

    The snippets take turns run by run, so drift on the machine affects them alike.
    """
    env = {**os.environ, **LAMBDA_ENV}
    samples: dict[str, list[float]] = {name: [] for name in snippets}
    for _ in range(runs + 1):  # the first round only warms the file cache
        for name, code in snippets.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, check=True)
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times[1:]) for name, times in samples.items()}


def notification(records: int) -> dict[str, Any]:
    """An S3-shaped ObjectCreated notification with ``records`` records."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "eu-west-1",
                "eventTime": "2026-11-26T12:00:00.000Z",
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
                "requestParameters": {"sourceIPAddress": "203.0.113.10"},
                "responseElements": {"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "x"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "object-created",
                    "bucket": {
                        "name": BUCKET,
                        "ownerIdentity": {"principalId": "A3NL1KOZZKExample"},
                        "arn": f"arn:aws:s3:::{BUCKET}",
                    },
                    "object": {
                        "key": f"incoming/2026/11/26/report+{number}.csv",
                        "size": 1024,
                        "eTag": "0123456789abcdef0123456789abcdef",
                        "versionId": f"v{number:06d}",
                        "sequencer": "0A1B2C3D4E5F678901",
                    },
                },
            }
            for number in range(records)
        ]
    }


def per_call_seconds(call: Callable[[], object], repeats: int) -> float:
    """Median over five rounds of the mean time of ``repeats`` calls."""
    rounds = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeats):
            call()
        rounds.append((time.perf_counter() - start) / repeats)
    return statistics.median(rounds)


def handler_seconds(records: int, repeats: int) -> tuple[float, float]:
    """(handler, json.loads) seconds per invocation for an event of ``records`` records."""
    os.environ.update(LAMBDA_ENV)
    sys.path.insert(0, str(REPO))
    from botocore.stub import Stubber  # noqa: PLC0415  (after the environment is set)

    from lambda_code import main as handler  # noqa: PLC0415

    event_json = json.dumps(notification(records))
    head = {
        "ContentLength": 1024,
        "ContentType": "text/csv",
        "ETag": '"0123456789abcdef0123456789abcdef"',
        "VersionId": "v000000",
        "LastModified": dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC),
        "ServerSideEncryption": "aws:kms",
    }
    calls = repeats * 5 + 1  # five timed rounds plus one warm-up invocation
    context = Context()
    log_handler = handler.logger.registered_handler
    with (
        open(os.devnull, "w") as sink,
        Stubber(handler.s3_client()) as stubber,
        contextlib.redirect_stdout(sink),
    ):
        for _ in range(calls * records):
            stubber.add_response("head_object", head)
        previous_stream = log_handler.setStream(sink)
        try:
            handler.lambda_handler(json.loads(event_json), context)  # cold start, first call
            seconds = per_call_seconds(
                lambda: handler.lambda_handler(json.loads(event_json), context), repeats
            )
        finally:
            log_handler.setStream(previous_stream)
        stubber.assert_no_pending_responses()
    parse = per_call_seconds(lambda: json.loads(event_json), repeats * 20)
    return seconds, parse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="fresh interpreters per figure")
    args = parser.parse_args()

    starts = fresh_interpreter_seconds(
        {
            "bare": "pass",
            "deps": "import boto3; from aws_lambda_powertools import Logger, Metrics",
            "cold": "import lambda_code.main",
            "client": "import lambda_code.main as m; m.s3_client()",
        },
        args.runs,
    )
    bare, deps, cold, with_client = (starts[k] for k in ("bare", "deps", "cold", "client"))
    one, one_parse = handler_seconds(records=1, repeats=200)
    hundred, hundred_parse = handler_seconds(records=100, repeats=4)

    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPU(s); "
        f"fresh-interpreter medians of {args.runs}"
    )
    print(f"{'measure':<60} {'time':>11} {'ratio':>8}")
    rows = [
        ("bare interpreter start (python -c pass)", bare, bare),
        ("import boto3 + Powertools Logger and Metrics", deps, bare),
        ("import lambda_code.main (cold import)", cold, bare),
        ("import lambda_code.main + create the S3 client", with_client, bare),
        ("json.loads of a 1-record event", one_parse, one_parse),
        ("lambda_handler, 1-record event, per invocation", one, one_parse),
        ("json.loads of a 100-record event, per record", hundred_parse / 100, hundred_parse / 100),
        ("lambda_handler, 100-record event, per record", hundred / 100, hundred_parse / 100),
    ]
    for label, seconds, baseline in rows:
        print(f"{label:<60} {seconds * 1000:9.3f}ms {seconds / baseline:7.1f}x")
    print(f"cold import of lambda_code.main adds {(cold - deps) * 1000:.1f} ms to its dependencies")


if __name__ == "__main__":
    main()
