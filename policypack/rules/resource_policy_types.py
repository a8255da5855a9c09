"""Which pulumi-aws resource types take a policy document as an input, as a table generated from the
SDK (`resource_policy_types.json`), and which of those documents are not resource-based policies.

An input counts when its type is the SDK's IAM `PolicyDocument` (`Union[str, PolicyDocumentArgs]`)
or when it is a string input named like a policy document (`policy`, `policy_document`,
`access_policy`, `access_policies`, `resource_policy`, `repository_policy`). Importing all of
pulumi_aws at pack start would take seconds, so the table is generated once
(`cd policypack && ../.venv/bin/python -m rules.resource_policy_types`) and a test regenerates it
and compares, and checks that every entry of `NOT_RESOURCE_POLICIES` is still in the table.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from pathlib import Path
from typing import Final

from .sdk_classes import camel, resource_classes

TABLE_PATH: Final = Path(__file__).with_name("resource_policy_types.json")

# A plain string input whose name ends in `policy`, `policies` or `policy_document` may hold a
# policy document; these hold a setting of their own grammar instead (an enum, or a service's own
# JSON), by input name. Reviewed by hand against the SDK's docstrings: a new such input is judged
# as a policy document until it is listed here (tests/policy/test_resource_policy_types.py).
NOT_POLICY_DOCUMENTS: Final[dict[str, str]] = {
    "alpn_policy": "listener ALPN setting (enum)",
    "archive_policy": "SNS FIFO topic message archive JSON (retention period)",
    "auto_import_policy": "FSx for Lustre import setting (enum)",
    "autoscaling_policy": "EMR instance group scaling rules (own JSON)",
    "base_policy_document": "Cloud WAN core network policy (own grammar)",
    "browser_policy": "WorkSpaces Web Chrome browser policy (own JSON)",
    "data_deletion_policy": "Bedrock data source deletion setting (enum)",
    "default_policy": "DLM default policy kind (enum)",
    "delete_propagation_policy": "EKS capability deletion setting (enum)",
    "delivery_policy": "SNS delivery retry policy (own JSON)",
    "dns_record_client_routing_policy": "load balancer DNS routing setting (enum)",
    "excess_capacity_termination_policy": "EC2 fleet capacity setting (enum)",
    "filter_policy": "SNS subscription message filter (own JSON)",
    "game_server_protection_policy": "GameLift protection setting (enum)",
    "lifecycle_policy": "ECR image lifecycle rules (own JSON)",
    "new_game_session_protection_policy": "GameLift protection setting (enum)",
    "notification_policy": "Storage Gateway file share upload notification (own JSON)",
    "redrive_allow_policy": "SQS dead-letter source permission (own JSON: redrivePermission)",
    "redrive_policy": "dead-letter queue setting (own JSON: deadLetterTargetArn)",
    "replay_policy": "SNS subscription replay setting (own JSON)",
    "security_policy": "API Gateway TLS version setting (enum)",
    "snapshot_policy": "FSx ONTAP snapshot schedule name",
    "ssl_policy": "listener TLS policy name",
    "tls_policy": "SES or Mail Manager TLS setting (enum)",
    "user_context_policy": "Kendra user context setting (enum)",
    "web_app_endpoint_policy": "Transfer web app endpoint kind (STANDARD or FIPS)",
}
_POLICY_INPUT_NAME = re.compile(r"(^|_)(policy|policies|policy_document)$")
# Documents in the table that grant nothing to a principal named in them, with why. Reviewed by
# hand: a new SDK entry is judged as a resource policy until it is listed here.
NOT_RESOURCE_POLICIES: Final[dict[str, str]] = {
    "aws:iam/policy:Policy": "identity policy (judged by the iam-* policies)",
    "aws:iam/rolePolicy:RolePolicy": "identity policy (judged by the iam-* policies)",
    "aws:iam/userPolicy:UserPolicy": "identity policy (judged by the iam-* policies)",
    "aws:iam/groupPolicy:GroupPolicy": "identity policy (judged by the iam-* policies)",
    "aws:iam/role:Role": "trust policy (judged by iam-scoped-resources)",
    "aws:iot/policy:Policy": "IoT identity policy: attached to certificates, names no principal",
    "aws:transfer/access:Access": "session policy scoping a Transfer user",
    "aws:transfer/user:User": "session policy scoping a Transfer user",
    "aws:eks/podIdentityAssociation:PodIdentityAssociation": "session policy for pods",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "endpoint policy: filters traffic through the endpoint",
    "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": "endpoint policy: filters traffic through "
    "the endpoint",
    "aws:sns/dataProtectionPolicy:DataProtectionPolicy": "data protection policy (own grammar)",
    "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy": "data protection policy "
    "(own grammar)",
    "aws:cloudwatch/logAccountPolicy:LogAccountPolicy": "account-level logs setting (own grammar)",
    "aws:cloudwatch/logIndexPolicy:LogIndexPolicy": "field index policy (own grammar)",
    "aws:opensearch/serverlessLifecyclePolicy:ServerlessLifecyclePolicy": "lifecycle rules",
    "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy": "encryption/network rules",
    "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy": "data access rules (own "
    "grammar: Rules and Principal lists)",
    "aws:networkmanager/coreNetworkPolicyAttachment:CoreNetworkPolicyAttachment": "network "
    "topology document",
    "aws:verifiedaccess/endpoint:Endpoint": "Cedar policy",
    "aws:verifiedaccess/group:Group": "Cedar policy",
    "aws:ses/receiptFilter:ReceiptFilter": "Block/Allow flag, not a document",
    "aws:iot/policyAttachment:PolicyAttachment": "the name of an IoT policy, not a document",
    "aws:odb/network:Network": "endpoint policies for the ODB network's access to KMS, S3 and STS: "
    "filter traffic",
    "aws:rolesanywhere/profile:Profile": "session policy limiting Roles Anywhere sessions",
    "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": "identity policy "
    "(judged by the iam-* policies)",
}

_INPUT = re.compile(r"^\s+(\w+): pulumi\.Input\[(.*)\] = None,$", re.M)
_PLAIN_STRING = re.compile(r"^(Optional\[)?(_builtins\.)?str\]?$")


def _is_policy_named(name: str, annotation: str) -> bool:
    """A plain string input named like a policy document (before the reviewed exclusions)."""
    return (
        _POLICY_INPUT_NAME.search(name) is not None and _PLAIN_STRING.match(annotation) is not None
    )


def _is_policy_input(name: str, annotation: str) -> bool:
    if "'PolicyDocumentArgs'" in annotation:
        return True
    return _is_policy_named(name, annotation) and name not in NOT_POLICY_DOCUMENTS


def policy_named_inputs() -> frozenset[str]:
    """Every plain string input name of the SDK named like a policy document (for the test that
    keeps `NOT_POLICY_DOCUMENTS` free of names the SDK no longer has)."""
    found: set[str] = set()
    for resource in resource_classes():
        found.update(
            m.group(1) for m in _INPUT.finditer(resource.inputs) if _is_policy_named(*m.groups())
        )
    return frozenset(found)


def generate_from_sdk() -> dict[str, list[str]]:
    """Type token -> the (camelCase) inputs holding a policy document, for every such type."""
    table: dict[str, list[str]] = {}
    for resource in resource_classes():
        inputs = [
            camel(m.group(1))
            for m in _INPUT.finditer(resource.inputs)
            if _is_policy_input(m.group(1), m.group(2))
        ]
        if inputs:
            table[resource.token] = sorted(inputs)
    return dict(sorted(table.items()))


@functools.cache
def policy_types() -> dict[str, tuple[str, ...]]:
    """Type token -> policy inputs, minus the documents that are not resource-based policies."""
    raw: dict[str, list[str]] = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    return {t: tuple(i) for t, i in raw.items() if t not in NOT_RESOURCE_POLICIES}


def main() -> int:
    table = generate_from_sdk()
    TABLE_PATH.write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(table)} resource types to {TABLE_PATH}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
