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

POLICY_INPUT_NAMES: Final = frozenset(
    {
        "policy",
        "policy_document",
        "access_policy",
        "access_policies",
        "resource_policy",
        "repository_policy",
    }
)
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
}

_INPUT = re.compile(r"^\s+(\w+): pulumi\.Input\[(.*)\] = None,$", re.M)
_PLAIN_STRING = re.compile(r"^(Optional\[)?(_builtins\.)?str\]?$")


def _is_policy_input(name: str, annotation: str) -> bool:
    if "'PolicyDocumentArgs'" in annotation:
        return True
    return name in POLICY_INPUT_NAMES and _PLAIN_STRING.match(annotation) is not None


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
