"""Runs the real program (`__main__.py`) on Pulumi's mock engine, one fresh program per call.

A MockMonitor subclass records each RegisterResourceRequest as the engine would see it: type,
name, parent, inputs (camelCase), dependencies. `Mocks.call` answers the only invokes the
program may use (getCallerIdentity, getPartition) and fails on any other.
"""

from __future__ import annotations

import json
import os
import runpy
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc, settings
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "__main__.py"
PROJECT = "serverless-s3-lambda"
ACCOUNT = "123456789012"
REGION = "eu-west-1"
MOCK_KMS_KEY_ID = "1234abcd-12ab-34cd-56ef"

# The dev stack's shape without its file: every required key, nothing else.
BASE_CONFIG: Mapping[str, object] = {"aws:region": REGION, "owner": "platform-team"}


@dataclass(frozen=True)
class Registered:
    """One resource registration, as the engine received it."""

    type: str
    name: str
    urn: str
    parent: str
    inputs: dict[str, Any]
    dependencies: frozenset[str]

    def policy(self, key: str = "policy") -> dict[str, Any]:
        """A JSON policy input, parsed."""
        return json.loads(self.inputs[key])


@dataclass(frozen=True)
class Program:
    """Everything one run of the program declared, and its stack outputs."""

    resources: list[Registered]
    outputs: dict[str, Any]
    invokes: list[str]

    def of_type(self, type_: str) -> list[Registered]:
        return [r for r in self.resources if r.type == type_]

    def one(self, type_: str) -> Registered:
        found = self.of_type(type_)
        assert len(found) == 1, f"expected one {type_}, found {[r.name for r in found]}"
        return found[0]

    def by_urn(self, urn: str) -> Registered:
        return next(r for r in self.resources if r.urn == urn)


class _RecordingMonitor(pulumi_mocks.MockMonitor):
    def __init__(self, mocks: pulumi_mocks.Mocks) -> None:
        super().__init__(mocks)
        self.registered: list[Registered] = []

    def RegisterResource(self, request):  # noqa: N802 (gRPC method name)
        response = super().RegisterResource(request)
        if request.type != "pulumi:pulumi:Stack":
            self.registered.append(
                Registered(
                    type=request.type,
                    name=request.name,
                    urn=response.urn,
                    parent=request.parent,
                    inputs=rpc.deserialize_properties(request.object),
                    dependencies=frozenset(request.dependencies),
                )
            )
        return response


class _AwsMocks(pulumi_mocks.Mocks):
    """Plausible provider outputs (ARNs, URLs, ids) computed from the inputs."""

    def __init__(self, partition: str = "aws") -> None:
        self.invokes: list[str] = []
        self.partition = partition

    def call(self, args: pulumi_mocks.MockCallArgs):
        self.invokes.append(args.token)
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT,
                "arn": f"arn:aws:iam::{ACCOUNT}:user/ci",
                "userId": "AIDAEXAMPLE",
                "id": ACCOUNT,
            }, []
        if args.token == "aws:index/getPartition:getPartition":
            return {"partition": self.partition, "dnsSuffix": "amazonaws.com", "id": "x"}, []
        raise AssertionError(f"the program may not call {args.token}")

    def new_resource(self, args: pulumi_mocks.MockResourceArgs):
        outputs = dict(args.inputs)
        name = args.inputs.get("name", args.name)
        arn_by_type = {
            "aws:s3/bucket:Bucket": f"arn:aws:s3:::{args.inputs.get('bucket')}",
            "aws:lambda/function:Function": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
            "aws:iam/role:Role": f"arn:aws:iam::{ACCOUNT}:role/{name}",
            "aws:sqs/queue:Queue": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}",
            "aws:cloudwatch/logGroup:LogGroup": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{name}",
            "aws:kms/key:Key": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{MOCK_KMS_KEY_ID}",
        }
        if args.typ in arn_by_type:
            outputs["arn"] = arn_by_type[args.typ]
        if args.typ == "aws:sqs/queue:Queue":
            outputs["url"] = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"
        if args.typ == "aws:kms/key:Key":
            outputs["keyId"] = MOCK_KMS_KEY_ID
        resource_id = args.inputs.get("bucket") if args.typ == "aws:s3/bucket:Bucket" else None
        return resource_id or f"{args.name}-id", outputs


@dataclass(frozen=True)
class Refusal:
    """A run that stopped with an error, and what it had declared by then."""

    message: str
    resources: list[Registered]
    invokes: list[str]


def run_program(
    config: Mapping[str, object], *, stack: str = "dev", via_environment: bool = False
) -> Program:
    """Run `__main__.py` once with `config` (project keys bare, others namespaced), passed
    through the SDK's config store or, with via_environment, through PULUMI_CONFIG."""
    mocks = _AwsMocks()
    monitor = _RecordingMonitor(mocks)
    _run(mocks, monitor, config, stack, via_environment)
    root = settings.get_root_resource()
    outputs = {
        name: _sync_await(pulumi.Output.from_input(value).future())
        for name, value in root.outputs.items()
    }
    return Program(resources=monitor.registered, outputs=outputs, invokes=mocks.invokes)


def refuse_program(
    config: Mapping[str, object],
    *,
    stack: str = "dev",
    via_environment: bool = False,
    partition: str = "aws",
) -> Refusal:
    """Run `__main__.py` expecting it to stop with a pulumi.RunError."""
    mocks = _AwsMocks(partition)
    monitor = _RecordingMonitor(mocks)
    with pytest.raises(pulumi.RunError) as error:
        _run(mocks, monitor, config, stack, via_environment)
    return Refusal(str(error.value), monitor.registered, mocks.invokes)


def _run(
    mocks: _AwsMocks,
    monitor: _RecordingMonitor,
    config: Mapping[str, object],
    stack: str,
    via_environment: bool = False,
) -> None:
    settings.ROOT.set(None)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=False, monitor=monitor)
    engine_config = {
        (key if ":" in key else f"{PROJECT}:{key}"): _engine_value(value)
        for key, value in config.items()
    }
    with _no_ambient_config():
        if via_environment:
            # How the CLI's language host hands config to a Python program.
            pulumi.runtime.set_all_config({})
            os.environ["PULUMI_CONFIG"] = json.dumps(engine_config)
        else:
            pulumi.runtime.set_all_config(engine_config)
        _sync_await(run_pulumi_func(lambda: runpy.run_path(str(MAIN), run_name="__main__")))


@contextmanager
def _no_ambient_config() -> Iterator[None]:
    """Config comes only from the test, never from the developer's environment."""
    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("PULUMI_CONFIG")}
    try:
        yield
    finally:
        for key in [k for k in os.environ if k.startswith("PULUMI_CONFIG")]:
            del os.environ[key]
        os.environ.update(saved)


def _engine_value(value: object) -> str:
    """Config values reach the program as strings; objects JSON-encoded (as the CLI does)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def stack_file_config(stack: str) -> dict[str, object]:
    """The config of `Pulumi.<stack>.yaml`, as the CLI would pass it to the program."""
    document = yaml.safe_load((ROOT / f"Pulumi.{stack}.yaml").read_text(encoding="utf-8"))
    return dict(document["config"])
