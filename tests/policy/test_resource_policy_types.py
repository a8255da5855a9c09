"""The resource-policy type table is the installed pulumi-aws SDK's, and its hand-kept exclusions
stay in step with it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import botocore.session
import pulumi_aws

from policypack.rules import resource_policy_types as types
from policypack.rules.public_shares import ACCOUNT_BLOCKS, SHARES
from policypack.rules.sdk_classes import resource_classes


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_table_matches_the_installed_sdk():
    stored = json.loads(types.TABLE_PATH.read_text(encoding="utf-8"))
    assert stored == types.generate_from_sdk(), (
        "regenerate with: cd policypack && ../.venv/bin/python -m rules.resource_policy_types"
    )


def test_every_exclusion_is_a_table_entry_with_a_reason():
    stored = json.loads(types.TABLE_PATH.read_text(encoding="utf-8"))
    assert set(types.NOT_RESOURCE_POLICIES) <= set(stored)
    assert all(len(reason) > 10 for reason in types.NOT_RESOURCE_POLICIES.values())


def test_every_excluded_input_name_is_one_the_sdk_has():
    assert set(types.NOT_POLICY_DOCUMENTS) <= types.policy_named_inputs()
    assert all(len(reason) > 10 for reason in types.NOT_POLICY_DOCUMENTS.values())


def test_resource_policies_under_other_input_names_are_judged():
    """Inputs are found by name shape, not by a list of names: a delivery destination's policy
    (`delivery_destination_policy`) grants to principals like any resource policy."""
    judged = types.policy_types()
    token = "aws:cloudwatch/logDeliveryDestinationPolicy:LogDeliveryDestinationPolicy"
    assert judged[token] == ("deliveryDestinationPolicy",)
    assert "aws:sns/topic:Topic" in judged and judged["aws:sns/topic:Topic"] == ("policy",)


def test_the_issue_s_resource_policies_are_judged():
    judged = types.policy_types()
    for token, prop in {
        "aws:sqs/queue:Queue": "policy",
        "aws:sqs/queuePolicy:QueuePolicy": "policy",
        "aws:sns/topic:Topic": "policy",
        "aws:sns/topicPolicy:TopicPolicy": "policy",
        "aws:kms/key:Key": "policy",
        "aws:kms/keyPolicy:KeyPolicy": "policy",
        "aws:ecr/repositoryPolicy:RepositoryPolicy": "policy",
        "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
        "aws:secretsmanager/secret:Secret": "policy",
        "aws:apigateway/restApiPolicy:RestApiPolicy": "policy",
        "aws:apigateway/restApi:RestApi": "policy",
        "aws:lambda/resourcePolicy:ResourcePolicy": "policy",
        "aws:opensearch/domainPolicy:DomainPolicy": "accessPolicies",
        "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
    }.items():
        assert prop in judged[token], token
    assert "aws:ec2/vpcEndpoint:VpcEndpoint" not in judged  # endpoint policies filter traffic


def test_public_share_inputs_follow_the_sdk():
    """Every type in `public_shares.SHARES` has its sharing input in the installed SDK, and every
    SDK resource whose docstring says a value makes it public ("Use `all` to make the snapshot
    public", "Use `all` to distribute a public AMI") is in `SHARES`."""
    classes = {resource.token: resource for resource in resource_classes()}
    for token, (path, _everyone) in SHARES.items():
        assert token in classes, token
        assert f" {snake(path[0])}: " in classes[token].inputs, (token, path[0])
    imagebuilder_inputs = Path(pulumi_aws.__file__).parent / "imagebuilder" / "_inputs.py"
    assert "Use `all` to distribute a public AMI" in imagebuilder_inputs.read_text()
    says_public = {
        token
        for token, resource in classes.items()
        if re.search(r"Use `all` to (make|distribute) [\w ]*public", resource.source)
    }
    assert says_public and says_public <= set(SHARES), says_public - set(SHARES)


# type token -> (the EC2 API shapes that list its states, the states that let resources be public:
# `unblocked` switches the block off; EBS `block-new-sharing` keeps already-public snapshots public,
# https://docs.aws.amazon.com/ebs/latest/userguide/block-public-access-snapshots.html)
ACCOUNT_BLOCK_STATES = {
    "aws:ec2/imageBlockPublicAccess:ImageBlockPublicAccess": (
        ("ImageBlockPublicAccessEnabledState", "ImageBlockPublicAccessDisabledState"),
        {"unblocked"},
    ),
    "aws:ebs/snapshotBlockPublicAccess:SnapshotBlockPublicAccess": (
        ("SnapshotBlockPublicAccessState",),
        {"unblocked", "block-new-sharing"},
    ),
}


def test_account_blocks_judge_every_state_aws_and_the_sdk_know():
    """Every state of an account-wide sharing block in botocore's EC2 model and in the SDK's
    docstring is judged, private or public; a new AWS state fails here until it is decided."""
    assert set(ACCOUNT_BLOCK_STATES) == set(ACCOUNT_BLOCKS)
    ec2 = botocore.session.get_session().get_service_model("ec2")
    classes = {resource.token: resource for resource in resource_classes()}
    for token, (name, private) in ACCOUNT_BLOCKS.items():
        shapes, public = ACCOUNT_BLOCK_STATES[token]
        aws_states = {state for shape in shapes for state in ec2.shape_for(shape).enum}
        assert aws_states == private | public and not private & public, token
        doc = re.search(rf":param [^\n]* {snake(name)}: ([^\n]*)", classes[token].source)
        assert doc is not None, (token, name)
        assert set(re.findall(r"`([a-z-]+)`", doc.group(1))) == aws_states, token


def test_endpoint_service_principal_inputs_are_judged():
    """The SDK's every input naming the principals allowed to an endpoint service is a share whose
    `*` means every AWS account."""
    classes = {resource.token: resource for resource in resource_classes()}
    judged = {
        token
        for token, resource in classes.items()
        if token.startswith("aws:ec2/vpcEndpointService")
        and re.search(r" (allowed_principals|principal_arn): ", resource.inputs)
    }
    assert judged and judged <= {t for t, (_, everyone) in SHARES.items() if everyone == "*"}
