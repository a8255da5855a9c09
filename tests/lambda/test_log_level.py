"""Debug logging is driven by the environment at import, as in a fresh Lambda container, so
each case runs the handler in its own interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from lambda_support import LAMBDA_ENV

REPO = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
sys.path.insert(0, {support!r})
from lambda_support import FakeContext, s3_test_event
import lambda_code.main as main
event = s3_test_event()
event["Bucket"] = "marker-bucket-for-debug-test"
print(json.dumps({{"summary": main.lambda_handler(event, FakeContext())}}))
"""


def run_handler(env_overrides: dict[str, str | None]) -> list[dict]:
    env = {**os.environ, **LAMBDA_ENV}
    for name in (
        "POWERTOOLS_LOG_LEVEL",
        "LOG_LEVEL",
        "AWS_LAMBDA_LOG_LEVEL",
        "POWERTOOLS_LOGGER_LOG_EVENT",
    ):
        env.pop(name, None)
    for name, value in env_overrides.items():
        if value is not None:
            env[name] = value
    script = SCRIPT.format(support=str(Path(__file__).parent))
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line]


@pytest.mark.parametrize(
    ("env", "debug"),
    [
        ({"POWERTOOLS_LOG_LEVEL": "DEBUG"}, True),
        ({"LOG_LEVEL": "DEBUG"}, True),
        ({"AWS_LAMBDA_LOG_LEVEL": "DEBUG", "POWERTOOLS_LOG_LEVEL": "DEBUG"}, True),
        ({"AWS_LAMBDA_LOG_LEVEL": "INFO", "POWERTOOLS_LOG_LEVEL": "DEBUG"}, False),
        ({"POWERTOOLS_LOG_LEVEL": "INFO"}, False),
        ({}, False),
        ({"POWERTOOLS_LOG_LEVEL": "INFO", "POWERTOOLS_LOGGER_LOG_EVENT": "true"}, False),
    ],
    ids=[
        "powertools-debug",
        "log-level-debug",
        "lambda-json-logs-debug",
        "lambda-json-logs-info-outranks-powertools",
        "info",
        "default",
        "log-event-env-ignored",
    ],
)
def test_the_raw_event_is_logged_only_at_debug(env: dict[str, str], debug: bool) -> None:
    lines = run_handler(env)

    assert lines[-1] == {"summary": {"processed": 0, "skipped": 0, "failed": 0}}
    with_event = [line for line in lines if "marker-bucket-for-debug-test" in json.dumps(line)]
    if debug:
        (line,) = with_event
        assert line["level"] == "DEBUG"
        assert line["message"] == "Received event"
        assert line["event"]["Event"] == "s3:TestEvent"
    else:
        assert with_event == []
        assert {line.get("level") for line in lines if "level" in line} == {"INFO"}
