"""Property: whatever text a user puts in any key, parsing ends in a StackConfig or a
ConfigError naming that key; never in another exception or a silently accepted bad value."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from infra.config import PROJECT_KEYS, REQUIRED_TAG_KEYS, ConfigError, parse_stack_config

PROJECT = "serverless-s3-lambda"
BASE = {"aws:region": "eu-west-1", "owner": "platform-team"}

values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(10**6), max_value=10**6).map(str),
    st.sampled_from(["", " ", "true", "false", "{}", "[]", "null", '{"a": 1}', "aws:kms"]),
)


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(PROJECT_KEYS), value=values)
def test_any_value_is_accepted_or_refused_by_name(key: str, value: str) -> None:
    try:
        config = parse_stack_config({**BASE, key: value}, project=PROJECT, stack="dev")
    except ConfigError as error:
        assert error.problems
        assert all(problem.startswith(f"{key}:") for problem in error.problems), error.problems
        return
    # Accepted: whatever came through is still within the documented bounds.
    assert 128 <= config.memory_size <= 10240
    assert 1 <= config.timeout <= 900
    assert config.architecture in ("arm64", "x86_64")
    assert config.encryption in ("AES256", "aws:kms")
    assert set(REQUIRED_TAG_KEYS) <= set(config.tags)
    assert config.tags["Owner"] == (value if key == "owner" else "platform-team")


@settings(max_examples=200, deadline=None)
@given(tags=st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=20), max_size=5))
def test_extra_tags_never_displace_the_required_ones(tags: dict[str, str]) -> None:
    try:
        config = parse_stack_config(
            {**BASE, "extraTags": json.dumps(tags)}, project=PROJECT, stack="dev"
        )
    except ConfigError:
        return
    assert config.tags["Project"] == PROJECT
    assert config.tags["Environment"] == "dev"
    assert config.tags["Owner"] == "platform-team"
    assert config.tags["ManagedBy"] == "pulumi"
    assert dict(config.extra_tags) == tags
