"""S3 public access: every bucket has a linked public-access block with all four flags true, and no
ACL or resource policy opens a bucket or its objects to the public (see public.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import Severity

from . import public
from .framework import Finding, Meta, Resource, Stack
from .s3_policies import ACCESS_POINT_POLICY_TYPES, POLICY_HOLDER_TYPES, policy_statements
from .s3_settings import (
    ACCESS_BLOCK_FLAGS,
    ACCESS_BLOCK_TYPES,
    BUCKET_TYPES,
    SettingKind,
    access_block_judge,
    judge_settings,
)
from .values import is_unknown

ACL_TYPES = {"aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"}
# Objects carry their own ACLs: a public object ACL publishes that object.
OBJECT_ACL_TYPES = {
    "aws:s3/bucketObject:BucketObject",
    "aws:s3/bucketObjectv2:BucketObjectv2",
    "aws:s3/objectCopy:ObjectCopy",
}
ACCOUNT_BLOCK_TYPE = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
# Access points that carry their own public access block, and the path to it in their inputs. A
# flag the program omits defaults to true on both (the SDK's docstrings: "Defaults to `true`").
# tests/policy/test_s3.py fails when the SDK gains a `*PublicAccessBlock*Args` input not listed.
ACCESS_POINT_BLOCKS: dict[str, tuple[str, ...]] = {
    "aws:s3/accessPoint:AccessPoint": ("publicAccessBlockConfiguration",),
    "aws:s3control/multiRegionAccessPoint:MultiRegionAccessPoint": (
        "details",
        "publicAccessBlock",
    ),
}
# Resources whose ACLs, and resources whose policies, can open a bucket to the public.
ACL_HOLDER_TYPES = BUCKET_TYPES | ACL_TYPES | OBJECT_ACL_TYPES

PUBLIC_CANNED_ACLS = {"public-read", "public-read-write", "authenticated-read"}
PUBLIC_GROUP_URIS = {
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}
PUBLIC_ACCESS = Meta(
    name="s3-bucket-public-access-blocked",
    description="Every S3 bucket has a linked public-access block with all four flags true, and "
    "no ACL or bucket policy grants public access.",
    severity=Severity.CRITICAL,
    remediation="Declare aws.s3.BucketPublicAccessBlock(bucket=<bucket>.id) with "
    "block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets "
    "all True; drop public ACLs and Principal '*' grants (or narrow them with "
    "aws:SourceArn/aws:SourceAccount).",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
)

ACCESS_BLOCK_KIND = SettingKind(
    types=ACCESS_BLOCK_TYPES,
    noun="BucketPublicAccessBlock",
    wanted="with all four flags true",
    fix="Set block_public_acls, block_public_policy, ignore_public_acls and "
    "restrict_public_buckets to True.",
    judge=access_block_judge,
)


def check_public_access(stack: Stack, _config: dict[str, Any]) -> Iterator[Finding]:
    yield from judge_settings(stack, ACCESS_BLOCK_KIND)
    for resource in stack.resources:
        if resource.type in ACL_HOLDER_TYPES:
            yield from _public_acl_findings(resource)
        if resource.type in POLICY_HOLDER_TYPES:
            yield from _public_policy_findings(resource)
        if resource.type == ACCOUNT_BLOCK_TYPE:
            yield from _flag_findings(resource, resource.props, "account-wide public access block")
        if resource.type in ACCESS_POINT_BLOCKS:
            config = _at_path(resource.props, ACCESS_POINT_BLOCKS[resource.type])
            if is_unknown(config):
                yield Finding(
                    f"{resource.label()} has a public access block unknown until apply.",
                    resource,
                    True,
                )
            elif isinstance(config, dict):  # omitted: AWS blocks everything on access points
                yield from _flag_findings(resource, config, "public access block", default=True)


def _at_path(props: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at `path` in nested inputs: None when a level is omitted, unknown when one is."""
    value: Any = props
    for key in path:
        if is_unknown(value):
            return value
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _flag_findings(
    resource: Resource, flags: dict[str, Any], what: str, default: bool | None = None
) -> Iterator[Finding]:
    """An explicit public-access block (account or access point) that turns a flag off."""
    values = {flag: flags.get(flag, default) for flag in ACCESS_BLOCK_FLAGS}
    off = [flag for flag, value in values.items() if not is_unknown(value) and value is not True]
    if off:
        yield Finding(
            f"{resource.label()} sets its {what} with {', '.join(off)} not true, switching "
            "off S3's protection against public ACLs and policies; set all four flags to true.",
            resource,
        )
    elif any(is_unknown(v) for v in values.values()):
        yield Finding(f"{resource.label()} has {what} flags unknown until apply.", resource, True)


def _public_acl_findings(resource: Resource) -> Iterator[Finding]:
    acl = resource.props.get("acl")
    if is_unknown(acl):
        yield Finding(f"{resource.label()} has a canned ACL unknown until apply.", resource, True)
    elif isinstance(acl, str) and acl.strip().lower() in PUBLIC_CANNED_ACLS:
        yield Finding(
            f"{resource.label()} sets canned ACL {acl!r}, which opens it beyond its "
            "account; use 'private' (or drop the ACL and rely on bucket-owner-enforced "
            "ownership).",
            resource,
        )
    grants: list[Any] = []
    sources = [("grants", resource.props.get("grants"))]
    acp = resource.props.get("accessControlPolicy")
    if is_unknown(acp):
        sources.append(("access_control_policy", acp))
    elif isinstance(acp, dict):
        sources.append(("access_control_policy.grants", acp.get("grants")))
    for where, items in sources:
        if is_unknown(items):
            yield Finding(f"{resource.label()} has {where} unknown until apply.", resource, True)
        elif isinstance(items, list):
            grants += [
                g.get("grantee", g) if isinstance(g, dict) and "grantee" in g else g for g in items
            ]
    for grant in grants:
        uri = grant.get("uri") if isinstance(grant, dict) else grant
        if is_unknown(uri):
            yield Finding(f"{resource.label()} has a grantee unknown until apply.", resource, True)
        elif _is_public_group(uri):
            yield Finding(
                f"{resource.label()} grants access to the group {uri!r}; remove that grant.",
                resource,
            )


def _is_public_group(uri: Any) -> bool:
    """AllUsers/AuthenticatedUsers however spelt (scheme, case, trailing slash)."""
    if not isinstance(uri, str):
        return False
    tail = uri.strip().rstrip("/").lower().split("://", 1)[-1]
    return tail in {u.split("://", 1)[1].lower() for u in PUBLIC_GROUP_URIS}


def _public_policy_findings(resource: Resource) -> Iterator[Finding]:
    items = policy_statements(resource)
    if items is None:
        yield Finding(f"{resource.label()} has a policy unknown until apply.", resource, True)
        return
    if isinstance(items, str):
        yield Finding(f"{resource.label()} {items}; AWS rejects or misreads it.", resource)
        return
    context = (
        public.Context.ACCESS_POINT
        if resource.type in ACCESS_POINT_POLICY_TYPES
        else public.Context.BUCKET
    )
    for exposure in public.statements_exposures(items, context):
        yield Finding(f"{resource.label()} policy {exposure.message()}", resource, exposure.unknown)
