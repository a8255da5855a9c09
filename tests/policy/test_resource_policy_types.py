"""The resource-policy type table is the installed pulumi-aws SDK's, and its hand-kept exclusions
stay in step with it."""

from __future__ import annotations

import json

from policypack.rules import resource_policy_types as types


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
