"""S3 buckets: versioning, default encryption, public-access blocking, TLS-only access.

Bucket settings are separate resources in pulumi-aws v7 (and the deprecated V2 tokens still
exist), so these are stack policies: each setting is judged on its own content and each bucket by
the settings proved linked to it (`s3_settings`).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from . import documents, public
from .framework import Finding, Meta, Option, Resource, Stack
from .s3_settings import (
    ACCESS_BLOCK_FLAGS,
    ACCESS_BLOCK_TYPES,
    BUCKET_TYPES,
    ENCRYPTION_TYPES,
    VERSIONING_TYPES,
    SettingKind,
    access_block_judge,
    bucket_links,
    encryption_judge,
    judge_settings,
    object_lock_enabled,
    versioning_judge,
)
from .values import contains_unknown, is_unknown

ACL_TYPES = {"aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"}
# Objects carry their own ACLs: a public object ACL publishes that object.
OBJECT_ACL_TYPES = {
    "aws:s3/bucketObject:BucketObject",
    "aws:s3/bucketObjectv2:BucketObjectv2",
    "aws:s3/objectCopy:ObjectCopy",
}
POLICY_TYPES = {"aws:s3/bucketPolicy:BucketPolicy"}
# Other resource policies that open a bucket's data: access points (and their policies) and
# S3 on Outposts bucket policies.
OTHER_POLICY_TYPES = {
    "aws:s3/accessPoint:AccessPoint",
    "aws:s3control/accessPointPolicy:AccessPointPolicy",
    "aws:s3control/bucketPolicy:BucketPolicy",
    "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy",
    "aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy",
}
# Policies judged by the access-point rules of "The meaning of public" (see public.py).
ACCESS_POINT_POLICY_TYPES = {
    "aws:s3/accessPoint:AccessPoint",
    "aws:s3control/accessPointPolicy:AccessPointPolicy",
    "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy",
    "aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy",
}
ACCOUNT_BLOCK_TYPE = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock"
ACCESS_POINT_TYPE = "aws:s3/accessPoint:AccessPoint"
# Resources whose ACLs, and resources whose policies, can open a bucket to the public.
ACL_HOLDER_TYPES = BUCKET_TYPES | ACL_TYPES | OBJECT_ACL_TYPES
POLICY_HOLDER_TYPES = BUCKET_TYPES | POLICY_TYPES | OTHER_POLICY_TYPES

PUBLIC_CANNED_ACLS = {"public-read", "public-read-write", "authenticated-read"}
PUBLIC_GROUP_URIS = {
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
}
ENCRYPTION_ALGORITHMS = ("AES256", "aws:kms", "aws:kms:dsse")
KMS_ALGORITHMS = ("aws:kms", "aws:kms:dsse")
VERSIONING = Meta(
    name="s3-bucket-versioning-enabled",
    description="Every S3 bucket has a BucketVersioning resource linked to it with status Enabled.",
    severity=Severity.MEDIUM,
    remediation="Declare aws.s3.BucketVersioning(bucket=<bucket>.id, "
    "versioning_configuration={'status': 'Enabled'}).",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html",
)
ENCRYPTION = Meta(
    name="s3-bucket-encryption-enabled",
    description="Every S3 bucket has a default-encryption resource linked to it using AES256, "
    "aws:kms or aws:kms:dsse (KMS only when requireKms is set).",
    severity=Severity.HIGH,
    remediation="Declare aws.s3.BucketServerSideEncryptionConfiguration(bucket=<bucket>.id, "
    "rules=[{'apply_server_side_encryption_by_default': {'sse_algorithm': 'aws:kms', "
    "'kms_master_key_id': <key>.arn}}]).",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
    options=(
        Option(
            name="requireKms",
            schema={"type": "boolean", "description": "Accept only aws:kms and aws:kms:dsse."},
            default=False,
            parse=lambda v: _boolean("requireKms", v),
        ),
    ),
)
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
TLS_ONLY = Meta(
    name="s3-bucket-tls-only",
    description="Every S3 bucket's policy denies requests made without TLS (aws:SecureTransport).",
    severity=Severity.MEDIUM,
    remediation="Add a bucket policy statement: Effect Deny, Principal '*', Action 's3:*', "
    "Resource [<bucket arn>, <bucket arn>/*], "
    "Condition {'Bool': {'aws:SecureTransport': 'false'}}.",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
    level=EnforcementLevel.ADVISORY,
)


def _boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, got {value!r}")
    return value


VERSIONING_KIND = SettingKind(
    types=VERSIONING_TYPES,
    noun="BucketVersioning",
    wanted="with status Enabled",
    fix="Set versioning_configuration={'status': 'Enabled'} (or create the bucket with "
    "object_lock_enabled=True, which keeps versioning on).",
    judge=versioning_judge,
    inherent=object_lock_enabled,
    inherent_what="Object Lock (which keeps versioning on)",
)


def check_versioning(stack: Stack, _config: dict[str, Any]) -> Iterator[Finding]:
    yield from judge_settings(stack, VERSIONING_KIND)


def check_encryption(stack: Stack, config: dict[str, Any]) -> Iterator[Finding]:
    allowed = KMS_ALGORITHMS if config["requireKms"] else ENCRYPTION_ALGORITHMS
    kind = SettingKind(
        types=ENCRYPTION_TYPES,
        noun="BucketServerSideEncryptionConfiguration",
        wanted=f"using {' or '.join(allowed)}",
        fix="Set apply_server_side_encryption_by_default.sse_algorithm to one of "
        f"{', '.join(allowed)}.",
        judge=encryption_judge(allowed),
    )
    yield from judge_settings(stack, kind)


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
        if resource.type == ACCESS_POINT_TYPE:
            config = resource.props.get("publicAccessBlockConfiguration")
            if is_unknown(config):
                yield Finding(
                    f"{resource.label()} has a public access block unknown until apply.",
                    resource,
                    True,
                )
            elif isinstance(config, dict):  # omitted: AWS blocks everything on access points
                yield from _flag_findings(resource, config, "public access block", default=True)


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


def _is_everyone(principal: Any) -> bool:
    """Principal `*`, or any principal value with a wildcard (`{"AWS": ["*"]}`,
    `arn:aws:iam::*:root`): AWS reads a bare `*` as everyone and rejects partial wildcards, so
    treating every wildcard as public never lets one through."""
    if isinstance(principal, str):
        return "*" in principal
    if isinstance(principal, dict):
        for value in principal.values():
            values = value if isinstance(value, list) else [value]
            if any(isinstance(v, str) and "*" in v for v in values):
                return True
    return False


def _policy_document(resource: Resource) -> Any:
    """The resource's policy input (a multi-region access point keeps it in `details.policy`)."""
    if resource.type == "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy":
        details = resource.props.get("details")
        return details.get("policy") if isinstance(details, dict) else details
    return resource.props.get("policy")


def _policy_statements(resource: Resource) -> list[documents.Statement] | str | None:
    """Statements of the resource's bucket policy; a message if unreadable; None if unknown."""
    document = _policy_document(resource)
    if document is None or document == "":
        return []
    try:
        loaded = documents.load(document)
        items = loaded if is_unknown(loaded) else documents.statements(loaded)
    except documents.InvalidDocumentError as error:
        return f"policy {error}"
    return None if is_unknown(items) else items


def _public_policy_findings(resource: Resource) -> Iterator[Finding]:
    items = _policy_statements(resource)
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


def _covers_bucket(statement: documents.Statement, bucket: Resource) -> bool | None:
    """Whether the statement's Resource covers the bucket and its objects (None: unknown).

    A TLS-only Deny copied from another bucket's policy protects that other bucket only.
    """
    resources = statement.values("Resource")
    name = bucket.props.get("bucket")
    if is_unknown(resources) or contains_unknown(resources) or is_unknown(name):
        return None
    if not isinstance(name, str) or not name:
        return None  # an auto-named bucket whose name the engine has not told us
    patterns = [r for r in resources if isinstance(r, str)]

    def covered(target: str) -> bool:
        for pattern in patterns:
            if pattern.strip() == "*":
                return True
            fields = pattern.split(":", 5)
            if len(fields) == 6 and fnmatch.fnmatchcase(f"s3:::{target}", ":".join(fields[2:])):
                return True
        return False

    return covered(name) and covered(f"{name}/any-object")


def _denies_plain_http(statement: documents.Statement, bucket: Resource) -> bool | None:
    raw = statement.raw
    if raw.get("Effect") != "Deny" or not _is_everyone(raw.get("Principal")):
        return False
    covers = _covers_bucket(statement, bucket)
    if covers is not True:
        return covers
    actions = statement.values("Action")
    if is_unknown(actions) or contains_unknown(actions):
        return None
    if not any(isinstance(a, str) and a.lower() in ("s3:*", "*") for a in actions):
        return False
    condition = raw.get("Condition")
    if contains_unknown(condition):
        return None
    if not isinstance(condition, dict):
        return False
    for operator, block in condition.items():
        if operator.lower() not in ("bool", "boolifexists") or not isinstance(block, dict):
            continue
        for key, value in block.items():
            values = value if isinstance(value, list) else [value]
            if key.lower() == "aws:securetransport" and any(
                str(v).lower() == "false" for v in values
            ):
                return True
    return False


def check_tls_only(stack: Stack, _config: dict[str, Any]) -> Iterator[Finding]:
    links = bucket_links(stack, POLICY_TYPES)
    for bucket in stack.of_types(BUCKET_TYPES):
        sources = [bucket, *links.linked_to(bucket)]
        verdicts: list[bool | None] = []
        for source in sources:
            items = _policy_statements(source)
            if items is None:
                verdicts.append(None)
            elif isinstance(items, list):
                verdicts.extend(_denies_plain_http(s, bucket) for s in items)
        if any(v is True for v in verdicts):
            continue
        if any(v is None for v in verdicts) or links.floating or links.unverified_for(bucket):
            yield Finding(
                f"bucket {bucket.name!r}: whether its policy denies plain HTTP is unknown "
                "until apply.",
                bucket,
                True,
            )
            continue
        yield Finding(
            f"bucket {bucket.name!r} has no bucket policy statement denying requests without TLS. "
            + TLS_ONLY.remediation,
            bucket,
        )
