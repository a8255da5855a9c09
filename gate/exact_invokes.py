"""Provider functions the AWS provider answers without an API call, answered exactly offline.

The caller's identity, region and partition come from the stack config (``gate.mock_world``),
AWS's per-region service accounts from the provider's own tables (``gate.service_accounts``), and
``iam.get_policy_document`` is rendered as the provider's data source renders it
(``gate.policy_document``). Every other function is answered by ``gate.invokes``.
"""

from __future__ import annotations

from typing import Any

from .mock_world import Place, digest, partition_of
from .policy_document import render_policy_document
from .service_accounts import TOKENS as SERVICE_ACCOUNT_TOKENS
from .service_accounts import service_account

EXACT_INVOKES = frozenset(
    {
        "aws:index/getCallerIdentity:getCallerIdentity",
        "aws:index/getRegion:getRegion",
        "aws:index/getPartition:getPartition",
        "aws:iam/getPolicyDocument:getPolicyDocument",
        *SERVICE_ACCOUNT_TOKENS,
    }
)
"""The functions answered exactly as the provider computes them."""


class InvokeError(ValueError):
    """The arguments would make the provider fail the invoke."""


def exact_answer(token: str, args: dict[str, Any], place: Place) -> dict[str, Any]:
    """The result of one of ``EXACT_INVOKES``; InvokeError where the provider would fail it."""
    if token == "aws:index/getCallerIdentity:getCallerIdentity":
        return {
            "accountId": place.account,
            "arn": f"arn:{place.partition}:iam::{place.account}:user/gate",
            "id": place.account,
            "userId": "AIDA" + digest(place.account)[:17].upper(),
        }
    if token == "aws:index/getRegion:getRegion":
        return _region(args, place)
    if token == "aws:index/getPartition:getPartition":
        return {
            "partition": place.partition,
            "id": place.partition,
            "dnsSuffix": place.dns_suffix,
            "reverseDnsPrefix": ".".join(reversed(place.dns_suffix.split("."))),
        }
    if token in SERVICE_ACCOUNT_TOKENS:
        region = args.get("region") or place.region
        found = service_account(token, region, partition_of(region).id)
        if found is None:
            raise InvokeError(f"the provider has no {token.rsplit(':', 1)[-1]} for {region!r}")
        return found
    return render_policy_document(args)


def _region(args: dict[str, Any], place: Place) -> dict[str, Any]:
    """``aws.get_region``: the provider's region, or the one named by ``region``/``endpoint``.

    As the provider does, a region is looked up among the partitions' regions, and one that is in
    none of them (or an endpoint that names none) fails the invoke.
    """
    region = args.get("region") or args.get("name")
    endpoint = args.get("endpoint")
    if not region and isinstance(endpoint, str):
        parts = endpoint.split(".")
        region = parts[1] if len(parts) > 2 and parts[0] == "ec2" else endpoint
    region = region or place.region
    partition = partition_of(region)
    if region not in partition.regions:
        raise InvokeError(
            f"region {region!r} is not a region of any AWS partition (for example us-east-1, "
            "eu-central-1, cn-north-1, us-gov-west-1)"
        )
    result_endpoint = f"ec2.{region}.{partition.dns_suffix}"
    if isinstance(endpoint, str) and endpoint != result_endpoint:
        raise InvokeError(f"no region has the EC2 endpoint {endpoint!r}")
    return {
        "name": region,
        "region": region,
        "id": region,
        "endpoint": result_endpoint,
        "description": partition.regions[region],
    }
