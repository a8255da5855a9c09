"""The AWS resource types whose physical names, ids and ARNs the gate models in AWS's formats.

Every other type gets generic outputs (``gate.outputs``); these are the types whose ARNs and
names policies and documents commonly read, built as the AWS documentation gives them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .mock_world import Place, digest


@dataclass(frozen=True)
class Kind:
    """How one resource type is named and which ARN it gets."""

    name_property: str | None
    arn: Callable[[Place, str, dict[str, Any]], str] | None = None
    id_is: str = "name"  # "name", or the output the id is ("arn", "url", "id" from ``extra``)
    lower: bool = False
    extra: Callable[[Place, str, dict[str, Any], str], dict[str, Any]] | None = None
    physical_id: Callable[[str], str] | None = None  # a generated id, for unnamed types


def _iam_path(inputs: dict[str, Any]) -> str:
    path = inputs.get("path")
    return path if isinstance(path, str) and path else "/"


def _bucket_extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict:
    return {
        "bucketDomainName": f"{physical}.s3.{place.dns_suffix}",
        "bucketRegionalDomainName": f"{physical}.s3.{place.region}.{place.dns_suffix}",
        "region": place.region,
        "bucketRegion": place.region,
        "hostedZoneId": "Z3AQBSTGFYJSTF",
        # S3 reports website endpoints only for a bucket configured as a website
        "websiteEndpoint": None,
        "websiteDomain": None,
    }


def _function_extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict:
    arn = f"arn:{place.partition}:lambda:{place.region}:{place.account}:function:{physical}"
    return {
        "invokeArn": (
            f"arn:{place.partition}:apigateway:{place.region}:lambda:path/2015-03-31/functions/"
            f"{arn}/invocations"
        ),
        "qualifiedArn": f"{arn}:$LATEST",
        "version": "$LATEST",
        "lastModified": "2026-01-01T00:00:00.000+0000",
    }


def _role_extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict:
    return {"uniqueId": "AROA" + digest(seed)[:17].upper(), "createDate": "2026-01-01T00:00:00Z"}


def _queue_extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict:
    return {"url": f"https://sqs.{place.region}.{place.dns_suffix}/{place.account}/{physical}"}


def _key_extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict:
    return {"keyId": physical}


def _origin_access_identity_extra(
    place: Place, physical: str, inputs: dict[str, Any], seed: str
) -> dict:
    """CloudFront's ids and the IAM principal S3 bucket policies grant (AWS CloudFront Developer
    Guide, "Restricting access to an Amazon S3 origin": legacy origin access identities)."""
    return {
        "iamArn": f"arn:{place.partition}:iam::cloudfront:user/"
        f"CloudFront Origin Access Identity {physical}",
        "s3CanonicalUserId": digest(seed + "#canonical")[:64],
        "cloudfrontAccessIdentityPath": f"origin-access-identity/cloudfront/{physical}",
        "etag": "E" + digest(seed + "#etag")[:13].upper(),
        "callerReference": digest(seed + "#caller")[:36],
    }


def _api_extra(collection: str) -> Callable[[Place, str, dict[str, Any], str], dict[str, Any]]:
    """An API Gateway API's generated id and its ARNs, as the API Gateway ARN reference gives them
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html): the
    resource ARN ``arn:<partition>:apigateway:<region>::/<restapis|apis>/<id>`` (no account) and
    the ``execute-api`` ARN that Lambda permissions' ``source_arn`` and IAM policies name."""

    def extra(place: Place, physical: str, inputs: dict[str, Any], seed: str) -> dict[str, Any]:
        api_id = digest(seed + "#api")[:10]
        found = {
            "id": api_id,
            "arn": f"arn:{place.partition}:apigateway:{place.region}::/{collection}/{api_id}",
            "executionArn": f"arn:{place.partition}:execute-api:{place.region}:{place.account}:"
            f"{api_id}",
        }
        if collection == "apis":  # HTTP and WebSocket APIs (apigatewayv2)
            scheme = "wss" if inputs.get("protocolType") == "WEBSOCKET" else "https"
            found["apiEndpoint"] = (
                f"{scheme}://{api_id}.execute-api.{place.region}.{place.dns_suffix}"
            )
        return found

    return extra


def _arn(service: str, resource: str, regional: bool = True) -> Callable[..., str]:
    def build(place: Place, physical: str, inputs: dict[str, Any]) -> str:
        region = place.region if regional else ""
        account = place.account if service != "s3" else ""
        return (
            f"arn:{place.partition}:{service}:{region}:{account}:"
            f"{resource.format(name=physical, path=_iam_path(inputs))}"
        )

    return build


_BUCKET = Kind("bucket", _arn("s3", "{name}", regional=False), lower=True, extra=_bucket_extra)
KINDS: dict[str, Kind] = {
    "aws:cloudfront/originAccessIdentity:OriginAccessIdentity": Kind(
        None,
        _arn("cloudfront", "origin-access-identity/{name}", regional=False),
        physical_id=lambda seed: "E" + digest(seed)[:13].upper(),
        extra=_origin_access_identity_extra,
    ),
    "aws:s3/bucket:Bucket": _BUCKET,
    "aws:s3/bucketV2:BucketV2": _BUCKET,
    "aws:lambda/function:Function": Kind(
        "name", _arn("lambda", "function:{name}"), extra=_function_extra
    ),
    "aws:iam/role:Role": Kind(
        "name", _arn("iam", "role{path}{name}", regional=False), extra=_role_extra
    ),
    "aws:iam/policy:Policy": Kind(
        "name", _arn("iam", "policy{path}{name}", regional=False), id_is="arn"
    ),
    "aws:iam/user:User": Kind("name", _arn("iam", "user{path}{name}", regional=False)),
    "aws:iam/group:Group": Kind("name", _arn("iam", "group{path}{name}", regional=False)),
    "aws:cloudwatch/logGroup:LogGroup": Kind("name", _arn("logs", "log-group:{name}")),
    "aws:sqs/queue:Queue": Kind("name", _arn("sqs", "{name}"), id_is="url", extra=_queue_extra),
    "aws:sns/topic:Topic": Kind("name", _arn("sns", "{name}"), id_is="arn"),
    "aws:kms/key:Key": Kind(None, _arn("kms", "key/{name}"), extra=_key_extra),
    "aws:kms/alias:Alias": Kind("name", _arn("kms", "{name}")),
    "aws:dynamodb/table:Table": Kind("name", _arn("dynamodb", "table/{name}")),
    "aws:ecr/repository:Repository": Kind("name", _arn("ecr", "repository/{name}"), lower=True),
    "aws:sfn/stateMachine:StateMachine": Kind("name", _arn("states", "stateMachine:{name}")),
    "aws:cloudwatch/eventRule:EventRule": Kind("name", _arn("events", "rule/{name}")),
    "aws:apigateway/restApi:RestApi": Kind("name", id_is="id", extra=_api_extra("restapis")),
    "aws:apigatewayv2/api:Api": Kind("name", id_is="id", extra=_api_extra("apis")),
}
