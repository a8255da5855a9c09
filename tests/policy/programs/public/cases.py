"""Statement tables shared by the `public` test program and tests/policy/test_public.py.

Each case: name -> (statement, public?). `RESOURCE_CASES` go into every resource type that holds a
resource policy; `TRUST_CASES` into role trust policies; `PERMISSION_CASES` are lambda.Permission
arguments. Names say what each proves.
"""

ACCOUNT = "111122223333"
ANY = {"Effect": "Allow", "Action": "*", "Resource": "*"}
STAR = {**ANY, "Principal": "*"}


def star(condition: dict) -> dict:
    return {**STAR, "Condition": condition}


def service(condition: dict | None = None) -> dict:
    statement = {**ANY, "Principal": {"Service": "events.amazonaws.com"}}
    return {**statement, "Condition": condition} if condition else statement


RESOURCE_CASES: dict[str, tuple[dict, bool]] = {
    # Public principals.
    "star": (STAR, True),
    "aws-star": ({**ANY, "Principal": {"AWS": "*"}}, True),
    "aws-star-in-list": (
        {**ANY, "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:root", "*"]}},
        True,
    ),
    "wildcard-account-principal": ({**ANY, "Principal": {"AWS": "arn:aws:iam::*:root"}}, True),
    "variable-principal": (
        {**ANY, "Principal": {"AWS": "arn:aws:iam::${aws:PrincipalAccount}:root"}},
        True,
    ),
    "not-principal": ({**ANY, "NotPrincipal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}}, True),
    "federated-facebook": ({**ANY, "Principal": {"Federated": "graph.facebook.com"}}, True),
    "service-alone": (service(), True),
    # Conditions that do not confine.
    "variable-source-account": (
        star({"StringEquals": {"aws:SourceAccount": "${aws:SourceAccount}"}}),
        True,
    ),
    "variable-principal-account": (
        star({"StringEquals": {"aws:PrincipalAccount": "${aws:PrincipalAccount}"}}),
        True,
    ),
    "variable-org-id": (
        star({"StringEquals": {"aws:PrincipalOrgID": "${aws:PrincipalOrgID}"}}),
        True,
    ),
    "variable-arn-account": (
        star({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:${aws:SourceAccount}:trail/*"}}),
        True,
    ),
    "variable-vpce": (star({"StringEquals": {"aws:SourceVpce": "${aws:SourceVpce}"}}), True),
    "variable-org-path": (
        star({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "${aws:PrincipalOrgID}/*"}}),
        True,
    ),
    "variable-among-fixed": (
        star({"StringEquals": {"aws:SourceAccount": [ACCOUNT, "${aws:SourceAccount}"]}}),
        True,
    ),
    "service-variable-source": (
        service({"ArnEquals": {"aws:SourceArn": "${aws:SourceArn}"}}),
        True,
    ),
    "if-exists": (star({"StringEqualsIfExists": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}), True),
    "for-all-values": (
        star({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}),
        True,
    ),
    "negated": (star({"StringNotEquals": {"aws:SourceAccount": ACCOUNT}}), True),
    "wildcard-account-value": (star({"StringLike": {"aws:SourceAccount": "*"}}), True),
    "wildcard-arn-account": (
        star({"ArnLike": {"aws:SourceArn": "arn:aws:cloudtrail:*:*:trail/*"}}),
        True,
    ),
    "wildcard-bucket-arn": (star({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}), True),
    "wildcard-org-id": (star({"StringLike": {"aws:PrincipalOrgID": "o-*"}}), True),
    "wildcard-org-path": (
        star({"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-*/*"}}),
        True,
    ),
    "wildcard-userid": (star({"StringLike": {"aws:userid": "*"}}), True),
    "caller-controlled-key": (star({"StringEquals": {"aws:UserAgent": "my-app"}}), True),
    "everyone-ip-range": (star({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}), True),
    "negated-ip-range": (star({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}), True),
    # S3's /8 bound applies to the union of a clause's ranges: split into /8 blocks, all of IPv4
    # (or two adjacent /8s, which are one /7) is as public as 0.0.0.0/0.
    "ip-ranges-splitting-everyone": (
        star({"IpAddress": {"aws:SourceIp": [f"{n}.0.0.0/8" for n in range(256)]}}),
        True,
    ),
    "ip-ranges-adjacent-8s": (
        star({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "11.0.0.0/8"]}}),
        True,
    ),
    "ipv6-ranges-adjacent-32s": (
        star({"IpAddress": {"aws:SourceIp": ["2001:db8::/32", "2001:db9::/32"]}}),
        True,
    ),
    # Non-public by AWS's definition.
    "account-principal": ({**ANY, "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}}, False),
    "deny-star": ({**STAR, "Effect": "Deny"}, False),
    "fixed-source-account": (star({"StringEquals": {"aws:SourceAccount": ACCOUNT}}), False),
    "fixed-principal-account": (star({"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}), False),
    "fixed-org-id": (star({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}), False),
    "for-any-value-org-id": (
        star({"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}),
        False,
    ),
    "org-path-ou": (
        star(
            {
                "ForAnyValue:StringLike": {
                    "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"
                }
            }
        ),
        False,
    ),
    "principal-arn-one-account": (
        star({"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"}}),
        False,
    ),
    "source-arn-account-pinned": (
        star({"ArnLike": {"aws:SourceArn": f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"}}),
        False,
    ),
    "fixed-userid": (star({"StringEquals": {"aws:userid": "AIDAEXAMPLEUSERID"}}), False),
    "role-userid": (star({"StringLike": {"aws:userid": "AROAEXAMPLEROLEID:*"}}), False),
    "fixed-ip-ranges": (
        star({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]}}),
        False,
    ),
    "fixed-vpce": (star({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}), False),
    "rfc1918-ip-ranges": (
        star({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]}}),
        False,
    ),
    "separate-8s": (star({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "12.0.0.0/8"]}}), False),
    "fixed-vpc": (star({"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}), False),
    "vpce-account": (star({"StringEquals": {"aws:VpceAccount": ACCOUNT}}), False),
    "data-access-point-account": (
        star({"StringEquals": {"s3:DataAccessPointAccount": ACCOUNT}}),
        False,
    ),
    "kms-caller-account": (star({"StringEquals": {"kms:CallerAccount": ACCOUNT}}), False),
    "narrowing-and-other": (
        star({"StringEquals": {"aws:UserAgent": "my-app", "aws:SourceAccount": ACCOUNT}}),
        False,
    ),
    "service-with-source": (
        service({"ArnLike": {"aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/*"}}),
        False,
    ),
    "service-with-source-account": (
        service({"StringEquals": {"aws:SourceAccount": ACCOUNT}}),
        False,
    ),
}

# s3:DataAccessPointArn: a bucket policy may wildcard the access point name (account fixed); an
# access point policy may not ("The meaning of public", Access points).
ACCESS_POINT_NAME_WILDCARD = star(
    {"StringLike": {"s3:DataAccessPointArn": f"arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/*"}}
)

ASSUME = {"Effect": "Allow", "Action": "sts:AssumeRole"}
WEB = {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity"}
GITHUB = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
GITLAB = f"arn:aws:iam::{ACCOUNT}:oidc-provider/gitlab.com"
TERRAFORM = f"arn:aws:iam::{ACCOUNT}:oidc-provider/app.terraform.io"
BITBUCKET_PATH = "api.bitbucket.org/2.0/workspaces/my-team/pipelines-config/identity/oidc"
BITBUCKET = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{BITBUCKET_PATH}"
CIRCLECI_ORG = "0a1b2c3d-1111-2222-3333-444455556666"
CIRCLECI_PROJECT = "9f8e7d6c-1111-2222-3333-444455556666"
CIRCLECI_PATH = f"oidc.circleci.com/org/{CIRCLECI_ORG}"
CIRCLECI = f"arn:aws:iam::{ACCOUNT}:oidc-provider/{CIRCLECI_PATH}"
COGNITO_POOL = "us-east-1:12345678-aaaa-bbbb-cccc-123456789012"
GH_AUD = {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}


def oidc(provider: str, condition: dict | None = None) -> dict:
    statement = {**WEB, "Principal": {"Federated": provider}}
    return {**statement, "Condition": condition} if condition else statement


def github_sub(operator: str, value) -> dict:
    return oidc(
        GITHUB,
        {"StringEquals": GH_AUD, operator: {"token.actions.githubusercontent.com:sub": value}},
    )


TRUST_CASES: dict[str, tuple[dict, bool]] = {
    "trust-star": ({**ASSUME, "Principal": {"AWS": "*"}}, True),
    "trust-variable-account": (
        {
            **ASSUME,
            "Principal": "*",
            "Condition": {"StringEquals": {"aws:PrincipalAccount": "${aws:PrincipalAccount}"}},
        },
        True,
    ),
    "github-no-condition": (oidc(GITHUB), True),
    "github-aud-only": (oidc(GITHUB, {"StringEquals": GH_AUD}), True),
    "github-sub-star": (github_sub("StringLike", "*"), True),
    "github-sub-owner-wildcard": (github_sub("StringLike", "repo:my-org/*"), True),
    "github-sub-if-exists": (github_sub("StringLikeIfExists", "repo:my-org/my-repo:*"), True),
    "github-sub-negated": (github_sub("StringNotLike", "repo:my-org/my-repo:*"), True),
    "github-sub-for-all-values": (
        github_sub("ForAllValues:StringLike", "repo:my-org/my-repo:*"),
        True,
    ),
    "github-sub-variable": (
        github_sub("StringLike", "repo:my-org/${aws:PrincipalTag/repo}:*"),
        True,
    ),
    "github-sub-one-of-two-open": (
        github_sub("StringLike", ["repo:my-org/my-repo:*", "repo:*"]),
        True,
    ),
    "gitlab-group-wildcard": (
        oidc(GITLAB, {"StringLike": {"gitlab.com:sub": "project_path:my-group/*"}}),
        True,
    ),
    "terraform-organization-only": (
        oidc(TERRAFORM, {"StringLike": {"app.terraform.io:sub": "organization:my-org:*"}}),
        True,
    ),
    "bitbucket-aud-only": (
        oidc(
            BITBUCKET,
            {"StringEquals": {f"{BITBUCKET_PATH}:aud": "ari:cloud:bitbucket::workspace/x"}},
        ),
        True,
    ),
    "circleci-organization-only": (
        oidc(
            CIRCLECI,
            {"StringLike": {f"{CIRCLECI_PATH}:sub": "org/0a1b2c3d-1111-2222-3333-444455556666/*"}},
        ),
        True,
    ),
    "cognito-no-audience": (
        {**WEB, "Principal": {"Federated": "cognito-identity.amazonaws.com"}},
        True,
    ),
    # Non-public.
    "trust-service": ({**ASSUME, "Principal": {"Service": "lambda.amazonaws.com"}}, False),
    "trust-account": ({**ASSUME, "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}}, False),
    "trust-star-org": (
        {
            **ASSUME,
            "Principal": "*",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        },
        False,
    ),
    "trust-deny-star": ({**ASSUME, "Effect": "Deny", "Principal": "*"}, False),
    "github-one-repo": (github_sub("StringLike", "repo:my-org/my-repo:*"), False),
    "github-environment": (
        github_sub("StringEquals", "repo:my-org/my-repo:environment:prod"),
        False,
    ),
    "github-two-repos": (
        github_sub("StringLike", ["repo:my-org/a:*", "repo:my-org/b:ref:refs/heads/main"]),
        False,
    ),
    "github-enterprise-issuer": (
        oidc(
            f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com/my-enterprise",
            {
                "StringLike": {
                    "token.actions.githubusercontent.com/my-enterprise:sub": "repo:my-org/my-repo:*"
                }
            },
        ),
        False,
    ),
    "gitlab-one-project": (
        oidc(
            GITLAB,
            {
                "StringLike": {
                    "gitlab.com:sub": "project_path:my-group/my-project:ref_type:branch:ref:*"
                }
            },
        ),
        False,
    ),
    "terraform-one-project": (
        oidc(
            TERRAFORM,
            {"StringLike": {"app.terraform.io:sub": "organization:my-org:project:my-project:*"}},
        ),
        False,
    ),
    "bitbucket-one-repo": (
        oidc(
            BITBUCKET,
            {"StringLike": {f"{BITBUCKET_PATH}:sub": "{11111111-2222-3333-4444-555555555555}:*"}},
        ),
        False,
    ),
    "circleci-one-project": (
        oidc(
            CIRCLECI,
            {
                "StringLike": {
                    f"{CIRCLECI_PATH}:sub": f"org/{CIRCLECI_ORG}/project/{CIRCLECI_PROJECT}/*"
                }
            },
        ),
        False,
    ),
    "cognito-with-audience": (
        {
            **WEB,
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": COGNITO_POOL}},
        },
        False,
    ),
    "saml-provider": (
        {
            **ASSUME,
            "Action": "sts:AssumeRoleWithSAML",
            "Principal": {"Federated": f"arn:aws:iam::{ACCOUNT}:saml-provider/corp"},
        },
        False,
    ),
    "eks-cluster-provider": (
        oidc(
            f"arn:aws:iam::{ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
        ),
        False,
    ),
}

# lambda.Permission arguments (besides function and action) -> public?
PERMISSION_CASES: dict[str, tuple[dict, bool]] = {
    "perm-star": ({"principal": "*"}, True),
    "perm-star-variable-account": (
        {"principal": "*", "source_account": "${aws:SourceAccount}"},
        True,
    ),
    "perm-star-variable-org": (
        {"principal": "*", "principal_org_id": "${aws:PrincipalOrgID}"},
        True,
    ),
    "perm-star-url-none": ({"principal": "*", "function_url_auth_type": "NONE"}, True),
    "perm-star-wildcard-source-arn": (
        {"principal": "*", "source_arn": "arn:aws:events:us-east-1:*:rule/x"},
        True,
    ),
    "perm-star-org": ({"principal": "*", "principal_org_id": "o-a1b2c3d4e5"}, False),
    "perm-star-source-account": ({"principal": "*", "source_account": ACCOUNT}, False),
    "perm-star-source-arn-account": (
        {"principal": "*", "source_arn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/*"},
        False,
    ),
    "perm-account": ({"principal": ACCOUNT}, False),
}

# Whole documents (several statements) -> public?
VPCE = "vpce-1a2b3c4d"
PRIVATE_ALLOW = {**STAR, "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}
DENY_OUTSIDE_VPCE = {
    "Effect": "Deny",
    "Principal": "*",
    "Action": "execute-api:Invoke",
    "Resource": "execute-api:/*",
    "Condition": {"StringNotEquals": {"aws:SourceVpce": VPCE}},
}
DOCUMENT_CASES: dict[str, tuple[list[dict], bool]] = {
    # AWS's private API pattern: Allow everyone, Deny everyone not coming through one endpoint.
    "private-api-pattern": ([PRIVATE_ALLOW, DENY_OUTSIDE_VPCE], False),
    "deny-covers-other-action": (
        [{**PRIVATE_ALLOW, "Action": "execute-api:ManageConnections"}, DENY_OUTSIDE_VPCE],
        True,
    ),
    "deny-exempts-variable": (
        [
            PRIVATE_ALLOW,
            {
                **DENY_OUTSIDE_VPCE,
                "Condition": {"StringNotEquals": {"aws:SourceVpce": "${aws:SourceVpce}"}},
            },
        ],
        True,
    ),
    "deny-exempts-wildcard": (
        [
            PRIVATE_ALLOW,
            {**DENY_OUTSIDE_VPCE, "Condition": {"StringNotLike": {"aws:SourceVpce": "vpce-*"}}},
        ],
        True,
    ),
    "deny-for-all-values": (
        [
            PRIVATE_ALLOW,
            {
                **DENY_OUTSIDE_VPCE,
                "Condition": {"ForAllValues:StringNotEquals": {"aws:SourceVpce": VPCE}},
            },
        ],
        True,
    ),
    "deny-for-one-account-only": (
        [PRIVATE_ALLOW, {**DENY_OUTSIDE_VPCE, "Principal": {"AWS": ACCOUNT}}],
        True,
    ),
    # A Deny whose NotIpAddress ranges merge into everything exempts everyone: no guard.
    "deny-outside-split-everything": (
        [
            PRIVATE_ALLOW,
            {
                **DENY_OUTSIDE_VPCE,
                "Condition": {
                    "NotIpAddress": {"aws:SourceIp": [f"{n}.0.0.0/8" for n in range(256)]}
                },
            },
        ],
        True,
    ),
    "deny-outside-ip-range": (
        [
            PRIVATE_ALLOW,
            {
                **DENY_OUTSIDE_VPCE,
                "Condition": {"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "12.0.0.0/8"]}},
            },
        ],
        False,
    ),
    # A public statement after a non-public one still makes the policy public.
    "second-statement-public": (
        [{**STAR, "Principal": {"AWS": ACCOUNT}, "Sid": "Mine"}, STAR],
        True,
    ),
    # AWS's CloudWatch Logs key-policy statement: the service, pinned by the encryption context.
    "logs-encryption-context": (
        [
            {
                **ANY,
                "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
                "Condition": {
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:us-east-1:{ACCOUNT}:*"
                    }
                },
            }
        ],
        False,
    ),
}
