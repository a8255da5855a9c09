"""Unit tests of the evaluator of AWS's definition of public (policypack/rules/public.py) on
statement tables: each row is a statement, the kind of policy it sits in, and the verdict."""

from __future__ import annotations

import pytest

from policypack.rules import documents, federation, public
from policypack.rules.conditions import NARROWING_KEYS, value_problem
from policypack.rules.values import UNKNOWN

ACCOUNT = "111122223333"
STAR = {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}
B, AP, T, R = (
    public.Context.BUCKET,
    public.Context.ACCESS_POINT,
    public.Context.TRUST,
    public.Context.RESOURCE,
)


def verdict(statement: dict, context: public.Context) -> public.Exposure | None:
    (parsed,) = documents.statements({"Statement": [statement]})
    return public.statement_exposure(parsed, context)


def star(condition) -> dict:
    return {**STAR, "Condition": condition}


# A fixed value and a policy variable for every narrowing key.
FIXED = {
    "arn": f"arn:aws:iam::{ACCOUNT}:role/app",
    "account": ACCOUNT,
    "string": "o-a1b2c3d4e5",
    "orgpath": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*",
    "ip": "203.0.113.0/24",
    "userid": "AIDAEXAMPLE",
    "accesspoint": f"arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/one",
}
OPERATOR = {"ip": "IpAddress", "arn": "ArnEquals", "accesspoint": "ArnEquals"}


@pytest.mark.parametrize("key", sorted(NARROWING_KEYS))
def test_every_narrowing_key_narrows_with_a_fixed_value(key):
    kind = NARROWING_KEYS[key]
    condition = {OPERATOR.get(kind, "StringEquals"): {key: FIXED[kind]}}
    assert verdict(star(condition), R) is None


@pytest.mark.parametrize("key", sorted(NARROWING_KEYS))
def test_a_policy_variable_never_narrows_any_key(key):
    kind = NARROWING_KEYS[key]
    condition = {OPERATOR.get(kind, "StringEquals"): {key: "${aws:PrincipalAccount}"}}
    exposure = verdict(star(condition), R)
    assert exposure is not None and "policy variable" in exposure.reason


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("arn", "arn:aws:cloudtrail:*:${aws:SourceAccount}:trail/*"),
        ("arn", f"arn:aws:iam::{ACCOUNT}:role/${{aws:username}}"),
        ("orgpath", "o-a1b2c3d4e5/${aws:PrincipalTag/ou}/*"),
        ("string", "vpce-${aws:SourceVpc}"),
        ("ip", "${aws:SourceIp}"),
        ("userid", "AROAEXAMPLE:${aws:username}"),
    ],
)
def test_a_policy_variable_anywhere_in_a_value_is_not_fixed(kind, value):
    assert value_problem(kind, value) is not None


@pytest.mark.parametrize(
    ("statement", "context", "public_"),
    [
        # Principals.
        (STAR, R, True),
        ({**STAR, "Principal": {"AWS": "*"}}, R, True),
        ({**STAR, "Principal": {"AWS": ["*"]}}, R, True),
        ({**STAR, "Principal": {"AWS": "arn:aws:iam::*:root"}}, R, True),
        ({**STAR, "Principal": {"AWS": "arn:aws:iam::${aws:SourceAccount}:root"}}, R, True),
        ({**STAR, "Principal": {"AWS": ACCOUNT}}, R, False),
        ({**STAR, "Principal": {"CanonicalUser": "79a59df900b949e55d96a1e698fbaced"}}, B, False),
        ({"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, R, False),  # identity statement
        (
            {"Effect": "Allow", "NotPrincipal": {"AWS": ACCOUNT}, "Action": "*", "Resource": "*"},
            R,
            True,
        ),
        ({**STAR, "Effect": "Deny"}, R, False),
        ({**STAR, "Principal": {"Service": "cloudfront.amazonaws.com"}}, B, True),
        ({**STAR, "Principal": {"Service": "lambda.amazonaws.com"}}, T, False),
        ({**STAR, "Principal": {"Federated": "graph.facebook.com"}}, B, True),
        ({**STAR, "Principal": {"Federated": "graph.facebook.com"}}, T, True),
        (
            {
                **STAR,
                "Principal": {"Federated": "graph.facebook.com"},
                "Condition": {"StringEquals": {"graph.facebook.com:app_id": "1234"}},
            },
            T,
            False,
        ),
        # A service principal is confined only by source keys, not by principal keys.
        (
            {
                **STAR,
                "Principal": {"Service": "sns.amazonaws.com"},
                "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
            },
            R,
            True,
        ),
        (
            {
                **STAR,
                "Principal": {"Service": "sns.amazonaws.com"},
                "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:sns:*:{ACCOUNT}:*"}},
            },
            R,
            False,
        ),
        # Operators.
        (star({"StringEqualsIfExists": {"aws:SourceAccount": ACCOUNT}}), R, True),
        (star({"ArnLikeIfExists": {"aws:SourceArn": f"arn:aws:sns:*:{ACCOUNT}:*"}}), R, True),
        (star({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}), R, True),
        (star({"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}), R, False),
        (star({"StringNotEquals": {"aws:SourceAccount": ACCOUNT}}), R, True),
        (star({"ArnNotLike": {"aws:SourceArn": f"arn:aws:sns:*:{ACCOUNT}:*"}}), R, True),
        (star({"Bool": {"aws:SecureTransport": "true"}}), R, True),
        (star({"Null": {"aws:SourceAccount": "false"}}), R, True),
        (star({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}), R, False),
        (star({"IpAddress": {"aws:SourceIp": ["0.0.0.0/1", "128.0.0.0/1"]}}), R, True),
        (star({"IpAddress": {"aws:SourceIp": "::/0"}}), R, True),
        (star({"StringEquals": {"aws:SourceIp": "10.0.0.0/8"}}), R, True),
        (star({"StringEquals": {"aws:SourceAccount": []}}), R, True),
        (star({"StringEquals": {"aws:SourceAccount": int(ACCOUNT)}}), R, False),
        # Wildcards.
        (star({"StringLike": {"aws:SourceAccount": "1111*"}}), R, True),
        (star({"ArnLike": {"aws:SourceArn": f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"}}), R, False),
        (
            star({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:1111?2223333:trail/x"}}),
            R,
            True,
        ),
        (star({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::my-bucket"}}), B, False),
        (star({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::my-*"}}), B, True),
        (star({"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}}), B, False),
        (star({"StringLike": {"aws:userid": "AROA*"}}), B, True),
        (
            star({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*"}}),
            R,
            False,
        ),
        (star({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-*"}}), R, True),
        (
            star(
                {"StringLike": {"s3:DataAccessPointArn": f"arn:aws:s3:*:{ACCOUNT}:accesspoint/*"}}
            ),
            B,
            False,
        ),
        (
            star(
                {"StringLike": {"s3:DataAccessPointArn": f"arn:aws:s3:*:{ACCOUNT}:accesspoint/*"}}
            ),
            AP,
            True,
        ),
        # Clauses are ANDed: one narrowing clause is enough, whatever else is there.
        (
            star(
                {
                    "StringLike": {"aws:SourceAccount": "*"},
                    "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
                }
            ),
            R,
            False,
        ),
    ],
)
def test_statement_table(statement, context, public_):
    exposure = verdict(statement, context)
    assert (exposure is not None) is public_, exposure
    if exposure is not None:
        assert not exposure.unknown
        assert exposure.fix and exposure.fix in exposure.message()


def test_message_names_statement_principal_condition_and_fix():
    statement = {
        **star({"StringEquals": {"aws:SourceAccount": "${aws:SourceAccount}"}}),
        "Sid": "CloudFrontRead",
    }
    message = verdict(statement, B).message()
    assert message.startswith("statement 'CloudFrontRead' allows Principal '*': ")
    assert "aws:SourceAccount '${aws:SourceAccount}' is a policy variable" in message
    assert "Name the principals" in message


@pytest.mark.parametrize(
    "statement",
    [
        {**STAR, "Principal": UNKNOWN},
        {**STAR, "Principal": {"AWS": UNKNOWN}},
        star({"StringEquals": {"aws:SourceAccount": UNKNOWN}}),
        star(UNKNOWN),
        star({"StringEquals": UNKNOWN}),
    ],
)
def test_unknowns_cannot_be_verified(statement):
    exposure = verdict(statement, R)
    assert exposure is not None and exposure.unknown


def test_a_known_narrowing_clause_decides_despite_unknown_others():
    statement = star({"StringEquals": {"aws:SourceAccount": ACCOUNT, "aws:SourceVpce": UNKNOWN}})
    assert verdict(statement, R) is None


def test_unknown_effect_of_a_public_statement_cannot_be_verified():
    exposure = verdict({**STAR, "Effect": UNKNOWN}, R)
    assert exposure is not None and exposure.unknown


def test_the_oidc_table_names_its_sources_and_matches_its_examples():
    names = {i.name for i in federation.issuers()}
    assert {
        "GitHub Actions",
        "GitLab CI/CD (gitlab.com)",
        "HCP Terraform (Terraform Cloud)",
        "Bitbucket Pipelines",
        "CircleCI",
    } <= names
    for issuer in federation.issuers():
        assert issuer.sources and all(s.startswith("https://") for s in issuer.sources)
        assert issuer.subject.match(issuer.example), issuer.name
        assert not issuer.subject.match("*"), issuer.name
    for web in federation.web_identities():
        assert web.key in NARROWING_KEYS and web.sources


def test_document_exposures_reads_documents_and_reports_unknowns():
    document = {"Version": "2012-10-17", "Statement": [STAR, {**STAR, "Effect": "Deny"}]}
    (exposure,) = public.document_exposures(document, R)
    assert exposure.statement == "statement #1"
    assert public.document_exposures(UNKNOWN, R) is None
    assert public.document_exposures({"Statement": UNKNOWN}, R) is None
    with pytest.raises(documents.InvalidDocumentError):
        public.document_exposures('{"Statement": [{"Effect": "Allow", "principal": "*"}]}', R)


def test_an_unknown_value_of_a_key_that_cannot_confine_changes_nothing():
    exposure = verdict(star({"StringEquals": {"aws:UserAgent": UNKNOWN}}), R)
    assert exposure is not None and not exposure.unknown


GITHUB = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
SUB = "token.actions.githubusercontent.com:sub"


def trust(principal: dict, condition: dict | None = None) -> dict:
    statement = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "sts:AssumeRoleWithWebIdentity",
    }
    return {**statement, "Condition": condition} if condition else statement


@pytest.mark.parametrize(
    ("statement", "public_"),
    [
        (trust({"Federated": "arn:aws:iam::111122223333:oidc-provider/${aws:username}"}), True),
        (trust({"Federated": GITHUB}, {"ForAnyValue:StringLike": {SUB: "repo:o/r:*"}}), False),
        (trust({"Federated": GITHUB}, {"StringLike": {SUB.upper(): "repo:o/r:*"}}), False),
        (trust({"Federated": GITHUB}, {"StringLike": {SUB: "repo:o/${aws:username}:*"}}), True),
        (trust({"Federated": GITHUB}, {"StringLike": {SUB: "repo:o/r?:*"}}), True),
        # Customized subject claims (GitHub's "customizing the subject claims"): a fixed
        # repository_id, or repo:, after fixed key:value pairs, names one repository.
        (trust({"Federated": GITHUB}, {"StringLike": {SUB: "repository_id:123456:*"}}), False),
        (
            trust(
                {"Federated": GITHUB},
                {
                    "StringEquals": {
                        SUB: "repository_owner_id:72:repository_id:456:environment:prod"
                    }
                },
            ),
            False,
        ),
        (trust({"Federated": GITHUB}, {"StringLike": {SUB: "context:prod:repo:o/r:*"}}), False),
        (trust({"Federated": GITHUB}, {"StringLike": {SUB: "repository_owner_id:72:*"}}), True),
        (trust({"Federated": GITHUB}, {"StringLike": {SUB: "repository_id:12*"}}), True),
        (trust({"Federated": GITHUB}, {"StringLike": {SUB: "repository_id:${aws:userid}"}}), True),
        (trust({"Federated": GITHUB}, {"StringLike": {SUB: "environment:*:repo:o/r:*"}}), True),
        (trust({"Federated": GITHUB}, {"StringLike": {SUB: "repository_owner:o:*"}}), True),
        (trust({"Federated": GITHUB}, {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}), True),
        (
            trust(
                {"Federated": "accounts.google.com"},
                {"StringEquals": {"accounts.google.com:aud": "${aws:username}"}},
            ),
            True,
        ),
        (
            trust(
                {"Federated": "accounts.google.com"},
                {"StringEquals": {"accounts.google.com:aud": "1234.apps.googleusercontent.com"}},
            ),
            False,
        ),
        (trust({"Federated": GITHUB}, {"StringLike": {SUB: UNKNOWN}}), None),
    ],
)
def test_trust_table(statement, public_):
    exposure = verdict(statement, T)
    if public_ is None:
        assert exposure is not None and exposure.unknown
    else:
        assert (exposure is not None) is public_, exposure


@pytest.mark.parametrize(
    ("ranges", "public_"),
    [
        (["10.0.0.0/8"], False),
        (["8.0.0.0/7"], True),
        (["2001:db8::/32"], False),
        (["2001:db8::/31"], True),
        (["203.0.113.7"], False),
        (["not-an-ip"], True),
        ([f"{n}.0.0.0/8" for n in range(256)], True),
        (["10.0.0.0/8", "11.0.0.0/8"], True),
        (["10.0.0.0/8", "12.0.0.0/8"], False),
        (["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"], False),
        (["2001:db8::/32", "2001:db9::/32"], True),
        (["10.0.0.0/8", "2001:db8::/32"], False),
    ],
)
def test_source_ip_breadth_follows_s3(ranges, public_):
    assert (verdict(star({"IpAddress": {"aws:SourceIp": ranges}}), B) is not None) is public_


def test_a_guard_must_cover_the_allowed_resources_exactly():
    allow = {**STAR, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::data/*"}
    guard = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "S3:GetObject",
        "Resource": "arn:aws:s3:::Data/*",
        "Condition": {"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}},
    }
    parsed = documents.statements({"Statement": [allow, guard]})
    assert len(public.statements_exposures(parsed, B)) == 1
    parsed = documents.statements(
        {"Statement": [allow, {**guard, "Resource": "arn:aws:s3:::data/*"}]}
    )
    assert public.statements_exposures(parsed, B) == []
