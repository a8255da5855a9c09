"""`resource-policy-not-public`: no resource policy outside S3 and IAM trust grants the public.

Judges every pulumi-aws type whose input holds a resource-based policy (the generated table in
`resource_policy_types.py`: SQS, SNS, KMS, ECR, Secrets Manager, API Gateway, EventBridge, ...),
plus the resources that write one statement each: a Lambda `LayerVersionPermission`, an
EventBridge `EventPermission`, the sharing lists whose reserved value means everyone
(`public_shares.py`: RDS snapshots, AMI launch permissions, SSM documents, VPC endpoint
services) or the account-wide AMI/EBS snapshot public-sharing blocks switched off, and a
`FunctionUrl` with `authorization_type="NONE"` (a public endpoint by AWS's own description:
https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html). Bucket and access-point policies
are judged by `s3-bucket-public-access-blocked`, trust policies by `iam-scoped-resources`, and
`lambda.Permission` by `lambda-permission-source-scoped`, all with the same evaluator
(`public.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import Severity

from . import documents, public
from .framework import Finding, Meta, NotApplicable, Resource
from .public_shares import judges, public_share
from .resource_policy_types import policy_types
from .s3_policies import POLICY_HOLDER_TYPES
from .values import UNKNOWN, is_unknown

LAYER_PERMISSION_TYPE = "aws:lambda/layerVersionPermission:LayerVersionPermission"
FUNCTION_URL_TYPE = "aws:lambda/functionUrl:FunctionUrl"
EVENT_PERMISSION_TYPE = "aws:cloudwatch/eventPermission:EventPermission"

NOT_PUBLIC = Meta(
    name="resource-policy-not-public",
    description="No resource policy (SQS, SNS, KMS, ECR, Secrets Manager, API Gateway, Lambda "
    "layer, function URL and every other pulumi-aws type with a policy input) grants access to "
    "the public by AWS's definition.",
    severity=Severity.CRITICAL,
    remediation="Name the principals (account ids, role ARNs), or confine Principal '*' with a "
    "fixed aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn or aws:SourceVpce condition; "
    "give function URLs authorization_type='AWS_IAM'.",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html",
)


def check_not_public(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    if resource.type == LAYER_PERMISSION_TYPE:
        yield from _layer_permission(resource)
        return
    if resource.type == FUNCTION_URL_TYPE:
        yield from _function_url(resource)
        return
    if resource.type == EVENT_PERMISSION_TYPE:
        yield from _event_permission(resource)
        return
    share = public_share(resource.type, resource.props)
    if share is not None:
        what, unknown = share
        yield Finding(f"{resource.label()} {what}.", resource, unknown)
    if judges(resource.type) and resource.type not in policy_types():
        return
    inputs = policy_types().get(resource.type)
    if inputs is None or resource.type in POLICY_HOLDER_TYPES:
        raise NotApplicable(f"{resource.type} holds no resource policy this policy judges")
    for name in inputs:
        yield from _document_findings(resource, name, resource.props.get(name))


def _document_findings(resource: Resource, name: str, document: Any) -> Iterator[Finding]:
    if document is None or document == "":
        return
    try:
        exposures = public.document_exposures(document, public.Context.RESOURCE)
    except documents.InvalidDocumentError as error:
        yield Finding(
            f"{resource.label()} {name} {error}; AWS rejects or misreads it. Provide a valid "
            "policy document (json.dumps of a dict, or aws.iam.get_policy_document(...).json).",
            resource,
        )
        return
    if exposures is None:
        yield Finding(f"{resource.label()} {name} is unknown until apply.", resource, True)
        return
    for exposure in exposures:
        yield Finding(f"{resource.label()} {name} {exposure.message()}", resource, exposure.unknown)


def _statement(raw: dict[str, Any]) -> documents.Statement:
    return documents.Statement(1, str(raw.get("Sid", "")), raw)


def _layer_permission(resource: Resource) -> Iterator[Finding]:
    """The statement AWS writes for AddLayerVersionPermission: principal `*` or an account, and
    `aws:PrincipalOrgID` when organization_id is set
    (https://docs.aws.amazon.com/lambda/latest/api/API_AddLayerVersionPermission.html)."""
    principal = resource.props.get("principal")
    organization = resource.props.get("organizationId")
    raw: dict[str, Any] = {"Sid": resource.props.get("statementId") or "", "Effect": "Allow"}
    raw["Principal"] = principal if principal in ("*", None) else {"AWS": principal}
    if organization:
        raw["Condition"] = {"StringEquals": {"aws:PrincipalOrgID": organization}}
    if principal is None:
        return
    exposure = public.statement_exposure(_statement(raw), public.Context.RESOURCE)
    if exposure is not None:
        yield Finding(
            f"{resource.label()} shares the layer's code: {exposure.message()}",
            resource,
            exposure.unknown,
        )


def _event_permission(resource: Resource) -> Iterator[Finding]:
    """The statement AWS writes for an event bus PutPermission: principal `*` or an account, and
    the `condition` block ({key, type, value}) as its Condition
    (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutPermission.html)."""
    principal = resource.props.get("principal")
    if principal is None:
        return
    raw: dict[str, Any] = {"Sid": resource.props.get("statementId") or "", "Effect": "Allow"}
    raw["Principal"] = principal if principal == "*" else {"AWS": principal}
    condition = resource.props.get("condition")
    if is_unknown(condition):
        raw["Condition"] = condition
    elif isinstance(condition, dict):
        operator, key = condition.get("type"), condition.get("key")
        if isinstance(operator, str) and isinstance(key, str):
            raw["Condition"] = {operator: {key: condition.get("value")}}
        else:
            raw["Condition"] = UNKNOWN if is_unknown(operator) or is_unknown(key) else {}
    exposure = public.statement_exposure(_statement(raw), public.Context.RESOURCE)
    if exposure is not None:
        yield Finding(
            f"{resource.label()} lets other accounts put events on the bus: {exposure.message()}",
            resource,
            exposure.unknown,
        )


def _function_url(resource: Resource) -> Iterator[Finding]:
    auth = resource.props.get("authorizationType")
    if is_unknown(auth):
        yield Finding(
            f"{resource.label()} has an authorization_type unknown until apply.", resource, True
        )
    elif isinstance(auth, str) and auth.upper() == "NONE":
        yield Finding(
            f"{resource.label()} has authorization_type 'NONE': anyone on the internet can invoke "
            "the function through its URL. Set authorization_type='AWS_IAM' and grant "
            "lambda:InvokeFunctionUrl to the callers.",
            resource,
        )
