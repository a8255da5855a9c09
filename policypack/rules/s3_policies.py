"""S3 bucket policies and the other resource policies that open a bucket's data: which resource
types hold them, and their statements as the pack reads them."""

from __future__ import annotations

from typing import Any

from . import documents
from .framework import Resource
from .s3_settings import BUCKET_TYPES
from .values import is_unknown

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
POLICY_HOLDER_TYPES = BUCKET_TYPES | POLICY_TYPES | OTHER_POLICY_TYPES


def policy_document(resource: Resource) -> Any:
    """The resource's policy input (a multi-region access point keeps it in `details.policy`)."""
    if resource.type == "aws:s3control/multiRegionAccessPointPolicy:MultiRegionAccessPointPolicy":
        details = resource.props.get("details")
        return details.get("policy") if isinstance(details, dict) else details
    return resource.props.get("policy")


def policy_statements(resource: Resource) -> list[documents.Statement] | str | None:
    """Statements of the resource's bucket policy; a message if unreadable; None if unknown."""
    document = policy_document(resource)
    if document is None or document == "":
        return []
    try:
        items = documents.load_statements(document)
    except documents.InvalidDocumentError as error:
        return f"policy {error}"
    return None if is_unknown(items) else items
