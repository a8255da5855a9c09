"""Pure-function tests of the pack's building blocks (in addition to the gate runs)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import botocore.session
import pytest
import yaml
from pulumi_aws.lambda_._enums import Runtime
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from policypack.rules import all_policies, iam, iam_data, settings, validators
from policypack.rules.arns import breadth_problem
from policypack.rules.framework import Resource, Stack
from policypack.rules.runtimes import DEPRECATION_DATES
from policypack.rules.taggable import generate_from_sdk, taggable_types
from policypack.rules.values import UNKNOWN, plain

PACK = Path(__file__).resolve().parents[2] / "policypack"
TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/processor:*",
        "arn:aws:s3:::uploads-bucket/*",
        "arn:aws:s3:::uploads-bucket",
        "arn:aws:sqs:us-east-1:123456789012:processor-dlq",
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:dynamodb:us-east-1:123456789012:table/orders",
        "arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/*",
        "arn:aws:s3:::uploads-*",
        "arn:aws:s3:::job-archive/*",  # a bucket name, not an S3 Batch job (those carry an account)
        "arn:aws:lambda:us-east-1:123456789012:function:processor-*",
    ],
)
def test_resource_scoped_arns_pass(arn):
    assert breadth_problem(arn) is None


@pytest.mark.parametrize(
    "arn",
    [
        "*",
        "arn:aws:logs:*:*:*",
        "arn:aws:s3:::*",
        "arn:aws:s3:::*/*",
        "arn:aws:dynamodb:*:*:table/*",
        "arn:aws:dynamodb:us-east-1:123456789012:table/*",
        "arn:aws:logs:us-east-1:123456789012:log-group:*",
        "arn:aws:lambda:us-east-1:123456789012:function:*",
        "arn:aws:iam::123456789012:role/*",
        "arn:aws:iam::*:role/admin",
        "arn:aws:sqs:us-east-1:*:queue",
        "arn:*:s3:::bucket",
        "arn:aws:*:us-east-1:123456789012:thing",
        "uploads-bucket",
        # A lead that is a prefix of a resource-type word covers that whole type.
        "arn:aws:lambda:us-east-1:123456789012:func*",
        "arn:aws:lambda:us-east-1:123456789012:f?nction:*",
        "arn:aws:dynamodb:us-east-1:123456789012:t*",
        "arn:aws:iam::123456789012:r*",
        "arn:aws:logs:us-east-1:123456789012:log-g*",
        "arn:aws:s3:us-east-1:123456789012:job/*",
    ],
)
def test_arns_covering_a_whole_scope_fail(arn):
    assert breadth_problem(arn) is not None


def test_action_database():
    assert iam_data.supports_only_wildcard_resource("xray:PutTraceSegments")
    assert iam_data.supports_only_wildcard_resource("s3:ListAllMyBuckets")
    assert not iam_data.supports_only_wildcard_resource("s3:GetObject")
    assert not iam_data.supports_only_wildcard_resource("s3:List*")
    assert iam_data.is_known("S3:getobject")  # IAM action names are case-insensitive
    assert not iam_data.is_known("s3:GetObjekt")
    assert not iam_data.is_known("nosuchservice:Get")
    assert "table/" in {f.type_literal for f in iam_data.arn_formats("dynamodb")}
    assert iam_data.creates("ec2:CreateNetworkInterface", "network-interface")
    assert iam_data.creates("ec2:RunInstances", "instance")
    assert not iam_data.creates("ec2:DeleteNetworkInterface", "network-interface")
    assert not iam_data.creates("ec2:CreateTags", "network-interface")  # tags an existing one


def _policy(document) -> Resource:
    return Resource(type="aws:iam/policy:Policy", name="p", urn="urn:p", props={"policy": document})


DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*"},
}


@pytest.mark.parametrize("document", [DOCUMENT, json.dumps(DOCUMENT)], ids=["object", "json"])
def test_documents_as_objects_and_strings_are_judged_alike(document):
    findings = list(iam.check_scoped_resources(_policy(document), {}))
    assert len(findings) == 1 and not findings[0].unknown


def test_unknown_resource_entry_cannot_be_verified():
    document = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": [UNKNOWN]}]}
    findings = list(iam.check_scoped_resources(_policy(document), {}))
    assert [f.unknown for f in findings] == [True]


def test_unknown_effect_still_reports_broad_grant_as_unverifiable():
    document = {"Statement": [{"Effect": UNKNOWN, "Action": "s3:*", "Resource": "*"}]}
    findings = list(iam.check_no_wildcard_actions(_policy(document), {}))
    assert [f.unknown for f in findings] == [True]


def test_plain_marks_engine_sentinels():
    proxied = unknown_checking_proxy({"a": [UNKNOWN_STRING_VALUE, {"b": 1}]})
    assert plain(proxied) == {"a": [UNKNOWN, {"b": 1}]}


def _parse(exemptions, **own):
    return settings.parse_settings(
        {"pack-settings": {"exemptions": exemptions, **own}}, validators(), TODAY
    )


def test_exemptions_match_names_and_urns():
    parsed = _parse(
        [
            {
                "policy": "required-tags",
                "resource": "legacy-*",
                "reason": "x" * 10,
                "expires": "2026-12-01",
            },
            {
                "policy": "required-tags",
                "resource": "urn:pulumi:*::*::aws:sqs/queue:Queue::q*",
                "reason": "x" * 10,
                "expires": "2026-11-26",  # valid through its last day
            },
        ]
    )
    assert parsed.problems == ()
    assert parsed.exemption_for("required-tags", "urn:x::legacy-1", "legacy-1").index == 1
    assert (
        parsed.exemption_for(
            "required-tags", "urn:pulumi:dev::p::aws:sqs/queue:Queue::q", "q"
        ).index
        == 2
    )
    assert parsed.exemption_for("kms-key-rotation", "urn:x::legacy-1", "legacy-1") is None
    assert parsed.exemption_for("required-tags", "urn:x::other", "other") is None


@pytest.mark.parametrize(
    ("exemption", "problem"),
    [
        (
            {
                "policy": "required-tags",
                "resource": "a",
                "reason": "x" * 10,
                "expires": "2026-11-25",
            },
            "expired on 2026-11-25",
        ),
        (
            {
                "policy": "required-tags",
                "resource": "a",
                "reason": "too short",
                "expires": "2026-12-01",
            },
            "at least 10",
        ),
        (
            {
                "policy": "pack-settings",
                "resource": "a",
                "reason": "x" * 10,
                "expires": "2026-12-01",
            },
            "not an exemptable",
        ),
        (
            {
                "policy": "required-tags",
                "resource": "",
                "reason": "x" * 10,
                "expires": "2026-12-01",
            },
            "URN or a resource-name",
        ),
        (
            {
                "policy": "required-tags",
                "resource": "a",
                "reason": "x" * 10,
                "expires": "2027-12-01",
            },
            "365 days",
        ),
        (
            {"policy": "required-tags", "resource": "a", "reason": "x" * 10, "expires": "2026-1-5"},
            "YYYY-MM-DD",
        ),
        ("required-tags", "must be an object"),
        (
            {
                "policy": "required-tags",
                "resource": "a",
                "reason": " " * 12,
                "expires": "2026-12-01",
            },
            "at least 10",
        ),
        *(
            (
                {
                    "policy": "required-tags",
                    "resource": glob,
                    "reason": "x" * 10,
                    "expires": "2026-12-01",
                },
                "is too wide",
            )
            for glob in (
                "*",
                "?*",
                "*-*",
                "[!z]*",
                "[a-z]*",
                "urn:*",
                "urn:*::*",
                "urn:pulumi:dev::proj::*",
                "urn:pulumi:*::*::aws:*",
                "urn:pulumi:*::*::aws:*::*",
                "urn:pulumi:*::*::*::legacy-*",
                "urn:pulumi:*::*::aws:sqs/queue:Queue::*",
                "urn:pulumi:*::*::aws:sqs/queue:Queue::[!z]*",
                # A type part must write out the type name, not glob it.
                "urn:pulumi:*::*::*u*::*e*",
                "urn:pulumi:*::*::aws:sqs/queue:Q*::legacy-*",
                "urn:pulumi:*::*::aws:sqs/queue:[Q]ueue::legacy-*",
            )
        ),
    ],
)
def test_bad_exemptions_are_problems_and_waive_nothing(exemption, problem):
    parsed = _parse([exemption])
    assert parsed.exemptions == ()
    assert any(problem in p for p in parsed.problems), parsed.problems


@pytest.mark.parametrize(
    "glob",
    [
        "zz-*",
        "legacy-[!x]*",
        "reporting-read",
        "urn:pulumi:*::*::aws:sqs/queue:Queue::legacy-*",
        "urn:pulumi:prod::app::aws:lambda/function:Function::no-*",
        "urn:pulumi:prod::app::my:component:Store$aws:s3/bucket:Bucket::uploads",
        "urn:pulumi:prod::app::*$aws:s3/bucket:Bucket::uploads",
    ],
)
def test_narrow_exemption_globs_are_accepted(glob):
    parsed = _parse(
        [{"policy": "required-tags", "resource": glob, "reason": "x" * 10, "expires": "2026-12-01"}]
    )
    assert parsed.problems == ()
    assert [e.resource for e in parsed.exemptions] == [glob]


def test_invalid_on_unknown_fails_closed():
    parsed = _parse([], onUnknown="strict")
    assert parsed.on_unknown == "mandatory"
    assert any("onUnknown" in p for p in parsed.problems)


def test_policy_options_are_validated_centrally():
    parsed = settings.parse_settings(
        {"required-tags": {"requiredKeys": ["Owner", ""]}, "nope": {}}, validators(), TODAY
    )
    assert any(p.startswith("required-tags: requiredKeys") for p in parsed.problems)
    assert any("'nope' names no policy" in p for p in parsed.problems)


def test_taggable_table_matches_the_installed_sdk():
    assert taggable_types() == generate_from_sdk(), (
        "regenerate with: cd policypack && ../.venv/bin/python -m rules.taggable"
    )
    assert taggable_types()["aws:s3/bucket:Bucket"] == "map"
    assert "aws:s3/bucketVersioning:BucketVersioning" not in taggable_types()


def test_runtime_table_covers_every_runtime_the_sdk_knows():
    assert {r.value for r in Runtime} - set(DEPRECATION_DATES) == set()
    assert DEPRECATION_DATES["python3.9"] == dt.date(2025, 12, 15)
    assert DEPRECATION_DATES["python3.13"].year == 2029


def test_runtime_table_covers_every_runtime_aws_accepts():
    """botocore's Lambda model is AWS's own list of the identifiers CreateFunction accepts."""
    model = botocore.session.get_session().get_service_model("lambda")
    accepted = set(model.shape_for("Runtime").enum)
    assert accepted - set(DEPRECATION_DATES) == set(), "add these runtimes to runtimes.py"
    assert {"java17.al2023", "nodejs26.x", "python3.15", "ruby4.0"} <= accepted


def test_pack_assembles_without_serving():
    names = [p.name for p in all_policies()]
    assert len(names) == len(set(names)) == 20
    main = (PACK / "__main__.py").read_text()
    assert main.count("PolicyPack(") == 1


def test_pulumi_policy_yaml_uses_the_repository_virtualenv():
    document = yaml.safe_load((PACK / "PulumiPolicy.yaml").read_text())
    assert document["runtime"] == {"name": "python", "options": {"virtualenv": "../.venv"}}
    assert (PACK / document["runtime"]["options"]["virtualenv"]).resolve() == PACK.parent / ".venv"


def _bucket_policy(condition) -> list:
    from policypack.rules import s3_public  # noqa: PLC0415 - keeps the S3 helpers local to these tests

    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "x"}
    if condition is not None:
        statement["Condition"] = condition
    resource = Resource(
        type="aws:s3/bucketPolicy:BucketPolicy",
        name="p",
        urn="urn:p",
        props={"policy": json.dumps({"Statement": [statement]})},
    )
    return list(s3_public.check_public_access(Stack([resource]), {}))


@pytest.mark.parametrize(
    "condition",
    [
        None,
        {"StringLike": {"aws:SourceAccount": "*"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}},
        {"StringNotEquals": {"aws:SourceAccount": "123456789012"}},
        {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}},
        {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
        {"StringEquals": {"aws:UserAgent": "me"}},
    ],
)
def test_public_principal_needs_a_real_narrowing_condition(condition):
    assert len(_bucket_policy(condition)) == 1


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:SourceAccount": "123456789012"}},
        {"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1*"}},
        {"StringEquals": {"aws:SourceVpce": ["vpce-1a2b3c4d"]}},
        {"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-abc"}},
    ],
)
def test_narrowed_public_principal_passes(condition):
    assert _bucket_policy(condition) == []


def test_sso_permission_set_inline_policies_are_identity_documents():
    resource = Resource(
        type="aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
        name="ps",
        urn="urn:ps",
        props={"inlinePolicy": json.dumps(DOCUMENT)},
    )
    assert len(list(iam.check_scoped_resources(resource, {}))) == 1


def test_analyzer_hook_refuses_an_sdk_it_was_not_written_for(monkeypatch):
    from pulumi_policy import policy as sdk_policy  # noqa: PLC0415 - patched below

    from policypack.rules.analyzer import install_guarded_analyzer  # noqa: PLC0415

    monkeypatch.setattr(sdk_policy, "_PolicyAnalyzerServicer", type("Other", (), {}))
    with pytest.raises(RuntimeError, match=r"pulumi-policy>=1\.21,<2"):
        install_guarded_analyzer()


def test_analyzer_hook_wraps_the_sdk_servicer_once(monkeypatch):
    from pulumi_policy import policy as sdk_policy  # noqa: PLC0415 - patched below

    from policypack.rules.analyzer import install_guarded_analyzer  # noqa: PLC0415

    original = sdk_policy._PolicyAnalyzerServicer
    monkeypatch.setattr(sdk_policy, "_PolicyAnalyzerServicer", original)
    install_guarded_analyzer()
    guarded = sdk_policy._PolicyAnalyzerServicer
    install_guarded_analyzer()
    assert sdk_policy._PolicyAnalyzerServicer is guarded
    assert issubclass(guarded, original) and guarded is not original
