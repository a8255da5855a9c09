"""Fixtures for the handler tests: a moto S3 server over real HTTP, the Lambda environment,
and a capture of everything the function prints (Powertools log lines and EMF blobs).

Every environment change is made per test with ``monkeypatch``, so nothing leaks into the
other suites that share an xdist worker (fake credentials would fool the integration tests).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

# tests/lambda cannot be a package (``lambda`` is a keyword): make its helper importable.
sys.path.insert(0, str(Path(__file__).parent))

from lambda_support import (
    BUCKET,
    LAMBDA_ENV,
    REGION,
)


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """One moto S3 server per xdist worker, on a free loopback port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(autouse=True)
def lambda_environment(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> dict[str, str]:
    """The environment Lambda and the stack give the function, plus the test-only endpoint."""
    env = {**LAMBDA_ENV, "AWS_ENDPOINT_URL_S3": moto_endpoint}
    # Keep a developer's ~/.aws and shell settings out of the tests.
    env["AWS_CONFIG_FILE"] = str(tmp_path / "aws-config")
    env["AWS_SHARED_CREDENTIALS_FILE"] = str(tmp_path / "aws-credentials")
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    for name in ("POWERTOOLS_LOGGER_LOG_EVENT", "LOG_LEVEL", "AWS_LAMBDA_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def handler(lambda_environment: dict[str, str]) -> Iterator[ModuleType]:
    """``lambda_code.main``, imported under the Lambda environment, with a fresh S3 client."""
    module = importlib.import_module("lambda_code.main")
    module.s3_client.cache_clear()
    yield module
    module.s3_client.cache_clear()


@pytest.fixture
def s3(lambda_environment: dict[str, str]) -> Any:
    """A boto3 client on the moto server, for arranging buckets and objects."""
    return boto3.client("s3", region_name=REGION)


@pytest.fixture
def bucket(s3: Any) -> Iterator[str]:
    """A versioned, KMS-encrypted bucket, as the stack creates it, emptied after each test."""
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_encryption(
        Bucket=BUCKET,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )
    yield BUCKET
    listing = s3.list_object_versions(Bucket=BUCKET)
    for entry in listing.get("Versions", []) + listing.get("DeleteMarkers", []):
        s3.delete_object(Bucket=BUCKET, Key=entry["Key"], VersionId=entry["VersionId"])
    s3.delete_bucket(Bucket=BUCKET)
