"""`aws.iam.get_policy_document` rendered as the AWS provider's data source renders it."""

from __future__ import annotations

import json
import zlib

import pytest

from gate.policy_document import PolicyDocumentError, render_policy_document


def test_defaults_sets_and_single_values() -> None:
    out = render_policy_document(
        {
            "statements": [
                {
                    "actions": ["s3:GetObject", "s3:PutObject", "s3:GetObject"],
                    "resources": ["arn:aws:s3:::b/*"],
                }
            ]
        }
    )
    assert out["json"] == (
        "{\n"
        '  "Version": "2012-10-17",\n'
        '  "Statement": [\n'
        "    {\n"
        '      "Effect": "Allow",\n'
        '      "Action": [\n'
        '        "s3:PutObject",\n'
        '        "s3:GetObject"\n'
        "      ],\n"
        '      "Resource": "arn:aws:s3:::b/*"\n'
        "    }\n"
        "  ]\n"
        "}"
    )
    assert out["minifiedJson"] == (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
        '"Action":["s3:PutObject","s3:GetObject"],"Resource":"arn:aws:s3:::b/*"}]}'
    )
    assert out["id"] == str(zlib.crc32(out["json"].encode()))


def test_principals_conditions_not_elements_and_sid() -> None:
    document = json.loads(
        render_policy_document(
            {
                "policyId": "tls",
                "statements": [
                    {
                        "sid": "DenyInsecure",
                        "effect": "Deny",
                        "notActions": ["s3:GetObject"],
                        "notResources": ["arn:aws:s3:::b"],
                        "principals": [
                            {"type": "AWS", "identifiers": ["arn:aws:iam::1:root"]},
                            {"type": "AWS", "identifiers": ["arn:aws:iam::2:root"]},
                            {"type": "Service", "identifiers": ["lambda.amazonaws.com"]},
                        ],
                        "conditions": [
                            {
                                "test": "Bool",
                                "variable": "aws:SecureTransport",
                                "values": ["false"],
                            },
                            {
                                "test": "StringEquals",
                                "variable": "aws:SourceAccount",
                                "values": ["1", "2"],
                            },
                        ],
                    },
                    {"principals": [{"type": "*", "identifiers": ["*"]}], "actions": ["s3:*"]},
                ],
            }
        )["json"]
    )
    assert list(document) == ["Version", "Id", "Statement"]
    first, second = document["Statement"]
    assert list(first) == ["Sid", "Effect", "NotAction", "NotResource", "Principal", "Condition"]
    assert first["Principal"] == {
        "AWS": ["arn:aws:iam::1:root", "arn:aws:iam::2:root"],
        "Service": "lambda.amazonaws.com",
    }
    assert first["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"},
        "StringEquals": {"aws:SourceAccount": ["1", "2"]},
    }
    assert second["Principal"] == "*"


def test_source_and_override_documents_merge_by_sid() -> None:
    source = json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": "s3:*"}]}
    )
    override = json.dumps({"Statement": [{"Sid": "B", "Effect": "Deny", "Action": "iam:*"}]})
    document = json.loads(
        render_policy_document(
            {
                "sourcePolicyDocuments": [source],
                "overridePolicyDocuments": [override],
                "statements": [{"sid": "B", "actions": ["sqs:*"], "resources": ["*"]}],
            }
        )["json"]
    )
    assert [s["Sid"] for s in document["Statement"]] == ["A", "B"]
    assert document["Statement"][1]["Effect"] == "Deny"


def test_policy_variables_and_html_escaping() -> None:
    out = render_policy_document(
        {
            "statements": [
                {"actions": ["s3:ListBucket"], "resources": ["arn:aws:s3:::b/&{aws:username}<x>"]}
            ]
        }
    )
    assert '"Resource": "arn:aws:s3:::b/${aws:username}\\u003cx\\u003e"' in out["json"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"statements": [{"effect": "allow"}]}, "effect must be Allow or Deny"),
        ({"version": "2020-01-01"}, "version must be"),
        ({"statements": [{"sid": "X"}, {"sid": "X"}]}, "duplicate Sid"),
        ({"sourcePolicyDocuments": ["{"]}, "source document 0 is not valid JSON"),
    ],
)
def test_arguments_the_provider_rejects(args: dict, message: str) -> None:
    with pytest.raises(PolicyDocumentError, match=message):
        render_policy_document(args)
