"""The resource-policy type table is the installed pulumi-aws SDK's, and its hand-kept exclusions
stay in step with it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pulumi_aws

from policypack.rules import resource_policy_types as types
from policypack.rules.public_shares import SHARES
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
