"""``make invoke EVENT=...``: the handler on each sample event, against the moto server it starts.

Runs the real Makefile target in a subprocess (``-o`` keeps make from reinstalling the venv), so
the environment the target sets is the one under test.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
SAMPLES = sorted((REPOSITORY / "events").glob("*.json"))


def make_invoke(event: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", "-o", ".venv/.installed", "invoke", f"EVENT={event}"],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def created_records(event: dict) -> int:
    return sum(r["eventName"].startswith("ObjectCreated:") for r in event.get("Records", []))


def test_samples_cover_the_record_shapes() -> None:
    names = {
        r["eventName"]
        for sample in SAMPLES
        for r in json.loads(sample.read_text()).get("Records", [])
    }
    assert {"ObjectCreated:Put", "IntelligentTiering", "LifecycleTransition"} <= names


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_each_sample_event_runs_with_one_command(sample: Path) -> None:
    result = make_invoke(sample)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    summary = lines[-1]
    event = json.loads(sample.read_text())
    records = event.get("Records", [])
    assert summary == {
        "processed": created_records(event),
        "skipped": len(records) - created_records(event),
        "failed": 0,
    }
    logs = [line for line in lines[:-1] if "level" in line]
    assert logs and all(log["service"] == "s3-object-processor" for log in logs)
    assert "moto server on http://127.0.0.1:" in result.stderr


def test_a_malformed_event_fails_like_lambda_reports_it(tmp_path: Path) -> None:
    event = tmp_path / "bad.json"
    event.write_text(json.dumps({"Records": [{"eventName": "ObjectCreated:Put"}]}))
    result = make_invoke(event)
    assert result.returncode != 0
    assert "handler raised ValueError: Records[0].s3 is missing" in result.stderr


def test_an_unreadable_event_file_is_named(tmp_path: Path) -> None:
    result = make_invoke(tmp_path / "missing.json")
    assert result.returncode != 0
    assert f"cannot read the event file {tmp_path / 'missing.json'}" in result.stderr
