"""The stack policies stay linear in the stack's size: counted work, never timed.

A generated stack of 2,000 buckets (each with versioning, encryption, public-access block and a
TLS-only bucket policy) plus Lambda functions with invoke configs goes through every stack check.
Each resource counts the reads of its fields; a check that looks every setting up among every
bucket (the quadratic pattern this pack once had) reads millions of fields and fails at once
instead of running for minutes. Through the analyzer, one AnalyzeStack call decodes and indexes
the stack once, however many stack policies read it.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

import pytest
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import policy as sdk_policy

from policypack.rules import (
    RESOURCE_POLICIES,
    STACK_POLICIES,
    all_policies,
    framework,
    lambda_functions,
    s3,
    s3_public,
    s3_settings,
    s3_tls,
)
from policypack.rules.framework import Resource, Stack, parse_options
from policypack.rules.values import UNKNOWN

BUCKETS = 2000
FUNCTIONS = 200
# Field reads allowed per resource over all stack checks together (a linear budget).
READS_PER_RESOURCE = 60
FIELDS = frozenset(f.name for f in fields(Resource))


class BudgetExceededError(Exception):
    """Raised as soon as the checks read more fields than a linear budget allows."""


class CountingResource(Resource):
    """A `Resource` whose field reads are counted against the class-level budget."""

    reads = 0
    limit = 0

    @classmethod
    def count_from_zero(cls, resources: int) -> None:
        cls.reads = 0
        cls.limit = READS_PER_RESOURCE * resources

    def __getattribute__(self, name: str) -> Any:
        if name in FIELDS:
            cls = type(self)
            cls.reads += 1
            if cls.reads > cls.limit:
                raise BudgetExceededError(f"more than {cls.limit} resource field reads")
        return super().__getattribute__(name)


def _urn(kind: str, name: str) -> str:
    return f"urn:pulumi:dev::scale::{kind}::{name}"


def _resource(kind: str, name: str, props: dict[str, Any], **deps: str) -> CountingResource:
    return CountingResource(
        type=kind,
        name=name,
        urn=_urn(kind, name),
        props=props,
        property_dependencies={key: [urn] for key, urn in deps.items()},
    )


def _tls_only_policy(bucket_name: str) -> str:
    arn = f"arn:aws:s3:::{bucket_name}"
    statement = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def generated_stack() -> list[CountingResource]:
    """Compliant buckets linked every way the pack links them, and Lambda functions."""
    resources: list[CountingResource] = []
    for i in range(BUCKETS):
        name = f"bucket-{i}-physical"
        bucket = _resource("aws:s3/bucket:Bucket", f"bucket-{i}", {"bucket": name})
        bucket_urn = _urn("aws:s3/bucket:Bucket", f"bucket-{i}")
        resources += [
            bucket,
            # linked by the engine's property dependency and a value equal to the bucket's name
            # (`bucket=b.bucket`; an unknown value would be "cannot verify")
            _resource(
                "aws:s3/bucketVersioning:BucketVersioning",
                f"bucket-{i}-versioning",
                {"bucket": name, "versioningConfiguration": {"status": "Enabled"}},
                bucket=bucket_urn,
            ),
            # linked by the bucket's literal name, with no dependency
            _resource(
                "aws:s3/bucketServerSideEncryptionConfiguration:"
                "BucketServerSideEncryptionConfiguration",
                f"bucket-{i}-encryption",
                {
                    "bucket": name,
                    "rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}],
                },
            ),
            # linked by dependency, with a value that agrees with the bucket's name
            _resource(
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
                f"bucket-{i}-public-access-block",
                {
                    "bucket": name,
                    "blockPublicAcls": True,
                    "blockPublicPolicy": True,
                    "ignorePublicAcls": True,
                    "restrictPublicBuckets": True,
                },
                bucket=bucket_urn,
            ),
            _resource(
                "aws:s3/bucketPolicy:BucketPolicy",
                f"bucket-{i}-policy",
                {"bucket": name, "policy": _tls_only_policy(name)},
                bucket=bucket_urn,
            ),
        ]
    for i in range(FUNCTIONS):
        function = _resource(lambda_functions.FUNCTION_TYPE, f"fn-{i}", {"name": f"fn-{i}-name"})
        function_urn = _urn(lambda_functions.FUNCTION_TYPE, f"fn-{i}")
        resources += [
            function,
            _resource(
                lambda_functions.INVOKE_CONFIG_TYPE,
                f"fn-{i}-invoke-config",
                {
                    "functionName": f"arn:aws:lambda:us-east-1:123456789012:function:fn-{i}-name",
                    "destinationConfig": {"onFailure": {"destination": "arn:aws:sqs:q"}},
                },
                functionName=function_urn,
            ),
        ]
    return resources


def test_every_stack_check_reads_a_linear_number_of_fields():
    resources = generated_stack()
    CountingResource.count_from_zero(len(resources))
    stack = Stack(resources)
    findings = {
        meta.name: list(check(stack, parse_options(meta.options, {})[0]))
        for meta, check in STACK_POLICIES
    }
    # The generated stack is compliant: the checks ran to the end and judged every link.
    assert findings == {meta.name: [] for meta, _ in STACK_POLICIES}
    assert CountingResource.reads > len(resources)  # the counter does see the checks' reads


def test_a_quadratic_lookup_would_blow_the_budget():
    """The budget catches the pattern it guards against: every setting against every bucket."""
    resources = generated_stack()
    buckets = [r for r in resources if r.type in s3_settings.BUCKET_TYPES]
    settings = [r for r in resources if r.type in s3_settings.VERSIONING_TYPES]
    CountingResource.count_from_zero(len(resources))
    with pytest.raises(BudgetExceededError):
        for setting in settings:
            for bucket in buckets:
                _ = setting.property_dependencies.get("bucket") == [bucket.urn]


def _stack_request(resources: list[Resource]) -> analyzer_pb2.AnalyzeStackRequest:
    request = analyzer_pb2.AnalyzeStackRequest()
    for resource in resources:
        message = request.resources.add(type=resource.type, urn=resource.urn, name=resource.name)
        props = {k: v for k, v in resource.props.items() if v is not UNKNOWN}
        json_format.ParseDict(props, message.properties)
        for key, urns in resource.property_dependencies.items():
            message.propertyDependencies[key].urns.extend(urns)
    return request


@pytest.fixture
def counted_servicer(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, dict[str, int]]:
    """The pack's analyzer in-process, counting property decodes and the pack's views."""
    from policypack.rules.analyzer import install_guarded_analyzer  # noqa: PLC0415

    monkeypatch.setattr(sdk_policy, "_PolicyAnalyzerServicer", sdk_policy._PolicyAnalyzerServicer)
    install_guarded_analyzer()
    servicer = sdk_policy._PolicyAnalyzerServicer(
        "scale", "0.0.1", all_policies(), sdk_policy.EnforcementLevel.MANDATORY
    )
    servicer.Configure(analyzer_pb2.ConfigureAnalyzerRequest(), None)
    counts = {"decoded": 0, "stack_views": 0, "resource_views": 0}

    def counting(key: str, function: Any) -> Any:
        def counted(*args: Any, **kwargs: Any) -> Any:
            counts[key] += 1
            return function(*args, **kwargs)

        return counted

    monkeypatch.setattr(
        sdk_policy, "deserialize_properties", counting("decoded", sdk_policy.deserialize_properties)
    )
    monkeypatch.setattr(framework, "stack_view", counting("stack_views", framework.stack_view))
    monkeypatch.setattr(
        framework, "resource_view", counting("resource_views", framework.resource_view)
    )
    return servicer, counts


def test_one_analyze_call_decodes_and_converts_the_resource_once(counted_servicer):
    servicer, counts = counted_servicer
    request = _stack_request(
        [Resource("aws:kms/key:Key", "k", _urn("aws:kms/key:Key", "k"), {"tags": {}})]
    ).resources[0]
    analyze = analyzer_pb2.AnalyzeRequest(
        type=request.type, urn=request.urn, name=request.name, properties=request.properties
    )
    response = servicer.Analyze(analyze, None)
    assert len(RESOURCE_POLICIES) > 1
    assert counts == {"decoded": 1, "stack_views": 0, "resource_views": 1}
    # Every resource policy still judged the shared view.
    assert {d.policyName for d in response.diagnostics} >= {"kms-key-rotation", "required-tags"}


def test_one_analyze_stack_call_decodes_and_indexes_the_stack_once(counted_servicer):
    servicer, counts = counted_servicer
    bucket = Resource("aws:s3/bucket:Bucket", "b", _urn("aws:s3/bucket:Bucket", "b"), {})
    versioning = Resource(
        "aws:s3/bucketVersioning:BucketVersioning",
        "v",
        _urn("aws:s3/bucketVersioning:BucketVersioning", "v"),
        {"versioningConfiguration": {"status": "Suspended"}},
        property_dependencies={"bucket": [bucket.urn]},
    )
    response = servicer.AnalyzeStack(_stack_request([bucket, versioning]), None)
    assert len(STACK_POLICIES) > 1
    assert counts == {"decoded": 2, "stack_views": 1, "resource_views": 0}
    # Every stack policy still judged the shared stack.
    by_policy = {(d.policyName, d.urn) for d in response.diagnostics}
    assert (s3.VERSIONING.name, bucket.urn) in by_policy
    assert (s3.ENCRYPTION.name, bucket.urn) in by_policy
    assert (s3_public.PUBLIC_ACCESS.name, bucket.urn) in by_policy
    assert (s3_tls.TLS_ONLY.name, bucket.urn) in by_policy
