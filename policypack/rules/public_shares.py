"""Sharing attributes that make a resource public without any policy document.

Some AWS resources are shared by a list of account ids in which one reserved value means
everyone: IAM Access Analyzer reports such RDS snapshots as public
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-resources.html), EC2 makes an
AMI public with the launch permission group `all`
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LaunchPermission.html), and Systems
Manager shares a document publicly with the account id `All`
(https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ModifyDocumentPermission.html),
and a VPC endpoint service (PrivateLink) lets every AWS account connect when its allowed
principals include `*` ("To grant permissions to all principals, specify an asterisk":
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyVpcEndpointServicePermissions.html).
`SHARES` maps each pulumi-aws type to the path of its sharing input (`[]` steps into every item
of a list) and that reserved value; tests/policy/test_resource_policy_types.py checks every path
against the SDK's own docstrings ("Use `all` to make the snapshot public").

`ACCOUNT_BLOCKS` holds the account-wide switches that stop public sharing of AMIs and EBS
snapshots, the EC2 analogue of S3's `AccountPublicAccessBlock`: each maps to its strongest
states, the ones that block public sharing; any other state leaves resources of that kind public
or free to be made public. The test checks the
states against botocore's EC2 enums, and fails when AWS adds a state the table has not judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

from .values import is_unknown

# type token -> (path of input names, the value that means everyone; compared case-insensitively)
SHARES: Final[dict[str, tuple[tuple[str, ...], str]]] = {
    "aws:rds/snapshot:Snapshot": (("sharedAccounts",), "all"),
    "aws:rds/clusterSnapshot:ClusterSnapshot": (("sharedAccounts",), "all"),
    "aws:rds/snapshotCopy:SnapshotCopy": (("sharedAccounts",), "all"),
    "aws:rds/clusterSnapshotCopy:ClusterSnapshotCopy": (("sharedAccounts",), "all"),
    "aws:ec2/amiLaunchPermission:AmiLaunchPermission": (("group",), "all"),
    # `permissions` is a plain string map, so its keys arrive as written (snake case).
    "aws:ssm/document:Document": (("permissions", "account_ids"), "all"),
    "aws:ec2/vpcEndpointService:VpcEndpointService": (("allowedPrincipals",), "*"),
    "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple": (
        ("principalArn",),
        "*",
    ),
    "aws:imagebuilder/distributionConfiguration:DistributionConfiguration": (
        ("distributions", "[]", "amiDistributionConfiguration", "launchPermission", "userGroups"),
        "all",
    ),
}

# type token -> a boolean input that, when true, makes the owner accept each share before it has
# any effect: an endpoint service with `acceptance_required` lets any account *request* a
# connection, and only the connections the owner accepts are made ("Accept or reject connection
# requests", https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html),
# so `*` there opens nothing by itself.
ACCEPTED_BY_OWNER: Final[dict[str, str]] = {
    "aws:ec2/vpcEndpointService:VpcEndpointService": "acceptanceRequired",
}

# type token -> (input name, the states that block public sharing)
ACCOUNT_BLOCKS: Final[dict[str, tuple[str, frozenset[str]]]] = {
    # `block-new-sharing` is the only enabled state ("Valid Values: block-new-sharing"); it
    # "prevents the public sharing of your AMIs", though AMIs already public stay public (their
    # launch permissions are judged through `SHARES`). `unblocked` allows public sharing
    # ("Block public access to your AMIs", EC2 User Guide,
    # https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/block-public-access-to-amis.html,
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableImageBlockPublicAccess.html).
    "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess": (
        "state",
        frozenset({"block-new-sharing"}),
    ),
    # `block-new-sharing` blocks only new public sharing: "snapshots that are already publicly
    # shared remain publicly available"; only `block-all-sharing` also makes them private
    # (https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html,
    # https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableSnapshotBlockPublicAccess.html).
    "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess": (
        "state",
        frozenset({"block-all-sharing"}),
    ),
}


def _values(value: Any, path: tuple[str, ...]) -> Iterator[Any]:
    """Every value at `path` below `value` (None where a level is omitted)."""
    if not path or is_unknown(value):
        yield value
        return
    step, rest = path[0], path[1:]
    if step == "[]":
        for item in value if isinstance(value, list) else []:
            yield from _values(item, rest)
    elif isinstance(value, dict):
        yield from _values(value.get(step), rest)


def judges(resource_type: str) -> bool:
    """Whether `public_share` reads this type."""
    return resource_type in SHARES or resource_type in ACCOUNT_BLOCKS


def public_share(resource_type: str, props: dict[str, Any]) -> tuple[str, bool] | None:
    """(what is shared with everyone and the fix, whether that is unknown until apply), or None."""
    if resource_type in ACCOUNT_BLOCKS:
        return _account_block_off(resource_type, props)
    if resource_type not in SHARES:
        return None
    path, everyone = SHARES[resource_type]
    if props.get(ACCEPTED_BY_OWNER.get(resource_type, "")) is True:
        return None
    where = ".".join(p for p in path if p != "[]")
    unknown = False
    for value in _values(props, path):
        items = value if isinstance(value, list) else [value]
        for item in items:
            if is_unknown(item):
                unknown = True
            # SSM takes a comma-separated list in one string as well as a list.
            elif isinstance(item, str) and everyone in (p.strip().lower() for p in item.split(",")):
                return (
                    f"{where} includes {item!r}, which shares it with every AWS account. Name "
                    "the accounts to share with instead",
                    False,
                )
    return (f"{where} is unknown until apply", True) if unknown else None


def _account_block_off(resource_type: str, props: dict[str, Any]) -> tuple[str, bool] | None:
    name, private = ACCOUNT_BLOCKS[resource_type]
    state = props.get(name)
    if is_unknown(state):
        return f"{name} is unknown until apply", True
    if state in private:
        return None
    allowed = " or ".join(repr(s) for s in sorted(private))
    return (
        f"{name} is {state!r}, which does not block public sharing in this account and "
        f"Region. Set {name}={allowed}",
        False,
    )
