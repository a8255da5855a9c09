"""Resources whose contents the pack cannot see: templates, Cloud Control and AWS Native.

A CloudFormation template, a Cloud Control `desired_state` or an AWS Native (`aws-native:`)
resource can declare a bucket, a role or a function that none of the typed rules ever sees, so
every other policy would pass it. This policy makes such resources visible: declare them with
pulumi-aws types, or waive them through an exemption that says who reviewed the template.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pulumi_policy import Severity

from .framework import Finding, Meta, Resource

# Type token -> what it deploys, for the pulumi-aws resources that deploy other resources.
OPAQUE_TYPES = {
    "aws:cloudformation/stack:Stack": "a CloudFormation template",
    "aws:cloudformation/stackSet:StackSet": "a CloudFormation stack-set template",
    "aws:cloudformation/stackInstances:StackInstances": "CloudFormation stack-set instances",
    "aws:cloudformation/stackSetInstance:StackSetInstance": "a CloudFormation stack-set instance",
    "aws:cloudcontrol/resource:Resource": "a Cloud Control resource from a JSON desired state",
    "aws:serverlessrepository/cloudFormationStack:CloudFormationStack": (
        "a Serverless Application Repository application (a CloudFormation template)"
    ),
    "aws:servicecatalog/provisionedProduct:ProvisionedProduct": (
        "a Service Catalog product (a CloudFormation template)"
    ),
}
NATIVE_PREFIX = "aws-native:"

OPAQUE = Meta(
    name="no-opaque-resources",
    description="AWS resources are declared with pulumi-aws types the pack can check, not "
    "through CloudFormation templates, Cloud Control or AWS Native resources it cannot see into.",
    severity=Severity.HIGH,
    remediation="Declare the resources with pulumi-aws types (aws.s3.Bucket, aws.iam.Role, ...); "
    "if a template is unavoidable, review it and add a pack-settings exemption with the reason.",
    url="https://www.pulumi.com/docs/using-pulumi/crossguard/",
)


def check_opaque(resource: Resource, _config: dict[str, Any]) -> Iterator[Finding]:
    what = OPAQUE_TYPES.get(resource.type)
    if what is None and resource.type.startswith(NATIVE_PREFIX):
        what = "an AWS Native (CloudFormation-schema) resource"
    if what is None:
        return
    detail = ""
    type_name = resource.props.get("typeName")
    if isinstance(type_name, str):
        detail = f" ({type_name})"
    yield Finding(
        f"{resource.label()} deploys {what}{detail}, whose settings this pack cannot check: "
        "versioning, encryption, public access, IAM scope and tags would all go unverified. "
        + OPAQUE.remediation,
        resource,
    )
